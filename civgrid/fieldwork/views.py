"""The grid worker's phone app (网格员工作台, /m/) and the patrol pages.

The phone pages are an installable PWA: the service worker (/m/sw.js) keeps the app shell so
they open without network, and fieldwork/outbox.js queues every report, visit and patrol
step in IndexedDB and sends it with its own idempotency key when the network is back. The
pages themselves only read (through civgrid.cases.queries and civgrid.visits); every write
goes through the JSON API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civgrid.cases import deadlines
from civgrid.cases.models import SOURCES_BY_ROLE, Category, Urgency
from civgrid.cases.queries import cases_for_user, overdue_q
from civgrid.cases.workflow import OPEN_STATES
from civgrid.fieldwork.queries import OVERSIGHT_ROLES, get_patrol_for_user, patrols_for_user
from civgrid.org.models import Role
from civgrid.org.queries import get_person, grid_ids_for_person, role_of
from civgrid.territory.models import Region

THEME_COLOR = "#8f1d1d"
# The pages and files the service worker keeps so the app opens offline.
SHELL_PAGES = ("fieldwork:home", "fieldwork:report", "fieldwork:patrol", "fieldwork:outbox")
SHELL_STATIC = (
    "civgrid/civgrid.css",
    "civgrid/civgrid.js",
    "vendor/htmx/htmx.min.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png",
    "fieldwork/fieldwork.css",
    "fieldwork/outbox.js",
    "fieldwork/report.js",
    "fieldwork/patrol.js",
    "fieldwork/home.js",
    "fieldwork/icon-192.png",
    "fieldwork/icon-512.png",
)


def _tiles() -> dict[str, str]:
    return {"url": settings.CIVGRID_TILE_URL, "attribution": settings.CIVGRID_TILE_ATTRIBUTION}


def _my_grids(request: HttpRequest) -> list[Region]:
    person = get_person(request.user)
    if person is None:
        return []
    return list(
        Region.objects.filter(pk__in=grid_ids_for_person(person))
        .select_related("parent")
        .order_by("code")
    )


def app_context(request: HttpRequest) -> dict[str, Any]:
    """What a page needs to use the outbox (fieldwork/outbox.js): API addresses, the map."""
    return {
        "tiles": _tiles(),
        "urls": {
            "cases": reverse("api:case-list"),
            "visits": reverse("api:visit-list"),
            "patrols": reverse("api:patrol-list"),
            "outbox": reverse("fieldwork:outbox"),
            "report": reverse("fieldwork:report"),
            "home": reverse("fieldwork:home"),
            "sw": reverse("fieldwork:sw"),
            "grids": reverse("territory:grids_geojson"),
        },
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """My grids on a map, my counts, my open cases with their deadlines."""
    now = timezone.now()
    grids = _my_grids(request)
    scope = cases_for_user(request.user)
    mine = scope.filter(grid__in=grids) if role_of(request.user) == Role.GRID_WORKER else scope
    open_cases = mine.filter(status__in=[s.value for s in OPEN_STATES])
    counts = open_cases.aggregate(open=Count("id"), overdue=Count("id", filter=overdue_q(now)))
    cases = list(
        open_cases.select_related("category", "grid").order_by(
            # Deadlines first, soonest first; cases without one (not yet assigned) after.
            F("due_at").asc(nulls_last=True),
            "-created_at",
        )[:30]
    )
    for case in cases:
        case.overdue_now = case.is_overdue(now)  # type: ignore[attr-defined]
        case.due_day = deadlines.due_day(case.due_at) if case.due_at else None  # type: ignore[attr-defined]
    from civgrid.visits.views import due_summary

    context = {
        **app_context(request),
        "grids": grids,
        "counts": counts,
        "cases": cases,
        "visits": due_summary(request.user, timezone.localdate()),
        "is_worker": role_of(request.user) == Role.GRID_WORKER,
        "tab": "home",
    }
    return render(request, "fieldwork/home.html", context)


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """The report form; outbox.js stores it on the phone first, then sends it to the API."""
    role = role_of(request.user)
    grids = _my_grids(request)
    context = {
        **app_context(request),
        "categories": Category.objects.filter(is_active=True).order_by("code"),
        "urgencies": Urgency.choices,
        "grids": grids,
        "can_fix": role in (Role.GRID_WORKER, Role.OFFICE, Role.INSPECTOR),
        # The role's usual source (civgrid.cases.models.SOURCES_BY_ROLE), e.g. patrol.
        "source": SOURCES_BY_ROLE[role][0] if role else "",
        "max_photos": settings.CIVGRID_PHOTO_MAX_COUNT,
        "tab": "report",
    }
    return render(request, "fieldwork/report.html", context)


@login_required
@require_GET
def patrol(request: HttpRequest) -> HttpResponse:
    """Start and stop a patrol; the phone records the track."""
    recent = patrols_for_user(request.user).filter(worker_id=request.user.pk)[:10]
    context = {
        **app_context(request),
        "recent": recent,
        "is_worker": role_of(request.user) == Role.GRID_WORKER,
        "now": timezone.now(),
        "tab": "patrol",
    }
    return render(request, "fieldwork/patrol.html", context)


@login_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """What the phone still has to send (drawn by outbox.js from IndexedDB)."""
    return render(request, "fieldwork/outbox.html", {**app_context(request), "tab": "outbox"})


def _shell_urls() -> list[str]:
    return [reverse(name) for name in SHELL_PAGES] + [static(path) for path in SHELL_STATIC]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from a template so it knows the static files' real URLs.

    Its cache name carries a digest of those URLs and of the script itself, so a deploy that
    changes either installs a new worker, which drops the old cache.
    """
    shell = _shell_urls() + [
        reverse("territory:grids_geojson"),
        reverse("api:categories"),
        reverse("fieldwork:manifest"),
    ]
    body = render(
        request,
        "fieldwork/sw.js",
        {"shell_json": json.dumps(shell), "home": reverse("fieldwork:home")},
        content_type="application/javascript",
    ).content
    version = hashlib.sha256(body).hexdigest()[:12]
    body = body.replace(b"__VERSION__", version.encode())
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("fieldwork:home")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: installable, opens standalone on /m/."""
    data = {
        "name": _("civgrid grid worker"),
        "short_name": _("Grid worker"),
        "description": _("Report problems, patrol and visit households, also offline."),
        "start_url": reverse("fieldwork:home"),
        "scope": reverse("fieldwork:home"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "lang": "zh-CN",
        "icons": [
            {
                "src": static("fieldwork/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any maskable",
            },
            {
                "src": static("fieldwork/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


# --- patrols for the office and leaders -------------------------------------------------------


def _oversight(request: HttpRequest) -> None:
    if role_of(request.user) not in OVERSIGHT_ROLES | {Role.GRID_WORKER}:
        raise PermissionDenied


@never_cache
@login_required
@require_GET
def patrols(request: HttpRequest) -> HttpResponse:
    """Patrols per worker and day, with length and duration (巡查记录)."""
    _oversight(request)
    now = timezone.now()
    qs = patrols_for_user(request.user).prefetch_related("grids")
    day_text = request.GET.get("day", "")
    day: dt.date | None = None
    if day_text:
        try:
            day = dt.date.fromisoformat(day_text)
        except ValueError:
            day = None
    if day is not None:
        tz = timezone.get_default_timezone()
        start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
        qs = qs.filter(started_at__gte=start, started_at__lt=start + dt.timedelta(days=1))
    worker = request.GET.get("worker", "").strip()
    if worker:
        qs = qs.filter(worker_name__icontains=worker)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for p in page:
        p.duration_now = p.duration(now)  # type: ignore[attr-defined]
    context = {"page": page, "day": day_text if day else "", "worker": worker}
    return render(request, "fieldwork/patrols.html", context)


@login_required
@require_GET
def patrol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One patrol: its track on the map, its figures."""
    _oversight(request)
    found = get_patrol_for_user(request.user, pk)
    track = {
        "type": "LineString",
        "coordinates": [
            [lon, lat]
            for lon, lat in found.points.order_by("recorded_at").values_list(
                "longitude", "latitude"
            )
        ],
    }
    context = {
        **app_context(request),
        "patrol": found,
        "duration": found.duration(timezone.now()),
        "track": track,
        "grids_touched": found.grids.order_by("code"),
    }
    return render(request, "fieldwork/patrol_detail.html", context)
