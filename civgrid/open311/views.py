"""Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, service
requests (GET, POST) and one request by id, each as .json or .xml.

Mapping onto civgrid (docs/open311.md): a service is an active case category (service_code =
Category.code); a service request is a case reported through a public channel (web page or
Open311), service_request_id = its tracking code. GET answers never carry personal data
(name, phone, email) nor photos. POST needs an API key and becomes a resident report through
civgrid.public.actions.submit_report, like the public page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from civgrid.cases import deadlines
from civgrid.cases.actions import CaseActionError
from civgrid.cases.models import Case, Category
from civgrid.cases.workflow import CLOSED_VALUES
from civgrid.lib.text import text_problem
from civgrid.open311 import render
from civgrid.open311.actions import authenticate
from civgrid.open311.models import ApiKey, Jurisdiction, TextPublication
from civgrid.open311.queries import publication_for
from civgrid.public import actions as public_actions
from civgrid.public.models import Channel, PublicReport
from civgrid.public.ratelimit import RateLimited, client_ip, hit
from civgrid.territory.models import Region, Site
from civgrid.territory.queries import locate_grid, place_disagrees

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this API's documents last changed in form (discovery's `changeset`).
CHANGESET = "2025-03-01T00:00:00Z"
MAX_RESULTS = 1000
DEFAULT_SPAN = dt.timedelta(days=90)
# start_date and end_date must lie in these years: far enough for any real query, near
# enough that the 90-day window around them is a valid date.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _jurisdiction_error(request: HttpRequest, fmt: str) -> HttpResponse | None:
    """A jurisdiction_id, when given, must be one of ours (404 otherwise, as the spec says)."""
    given = (
        request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or ""
    ).strip()
    if given and not Jurisdiction.objects.filter(jurisdiction_id=given, is_active=True).exists():
        return render.errors(fmt, 404, _("jurisdiction_id %(id)s was not found.") % {"id": given})
    return None


def _too_many(fmt: str, exc: RateLimited) -> HttpResponse:
    response = render.errors(fmt, 429, _("Too many requests: try again later."))
    response["Retry-After"] = str(exc.retry_after)
    return response


View = Callable[..., HttpResponse]


def open311(*methods: str, jurisdiction: bool = True) -> Callable[[View], View]:
    """Every resource: the spec's error list for a wrong method (405, with Allow), GETs
    throttled per client IP, the jurisdiction_id checked. CSRF-exempt: clients are programs
    (the POST is authenticated by api_key), and a CSRF refusal would be an HTML page."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = render.errors(
                    fmt,
                    405,
                    _("Method %(method)s is not allowed here; use %(allowed)s.")
                    % {"method": request.method, "allowed": ", ".join(methods)},
                )
                response["Allow"] = ", ".join(methods)
                return response
            if request.method == "GET":
                try:
                    hit("open311_read_ip", client_ip(request))
                except RateLimited as exc:
                    return _too_many(fmt, exc)
            if jurisdiction and (refusal := _jurisdiction_error(request, fmt)) is not None:
                return refusal
            return view(request, *args, fmt=fmt, **kwargs)

        return wrapper

    return decorate


@open311("GET", jurisdiction=False)
def root(request: HttpRequest, fmt: str) -> HttpResponse:
    """/open311/v2/ leads to the discovery document (XML, the spec's default)."""
    return redirect("open311:discovery", fmt=fmt)


@csrf_exempt
def not_found(request: HttpRequest, path: str) -> HttpResponse:
    """Any other path under /open311/v2/: 404 in the format its suffix asks for (XML, the
    spec's default, unless it ends in .json)."""
    fmt = "json" if path.endswith(".json") else "xml"
    return render.errors(fmt, 404, _("There is no resource %(path)s.") % {"path": path})


# --- discovery and services ------------------------------------------------------------------


@open311("GET", jurisdiction=False)
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:root"))
    public_base = getattr(settings, "CIVGRID_PUBLIC_URL", None)
    if public_base:
        base = str(public_base).rstrip("/") + reverse("open311:root")
    data = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "CIVGRID_OPEN311_CONTACT", "")
        or _("The campaign office of the district (创建办)."),
        "key_service": _("Ask the campaign office for an API key; it is issued in the admin."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base.rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render.respond(fmt, data, root="discovery")


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


@open311("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = [_service(c) for c in Category.objects.filter(is_active=True).order_by("code")]
    return render.respond(fmt, rows, root="services", item="service")


@open311("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """No category asks for extra attributes (metadata is false), so `attributes` is empty."""
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        return render.errors(fmt, 404, _("service_code %(code)s was not found.") % {"code": code})
    data = {"service_code": category.code, "attributes": []}
    return render.respond(fmt, data, root="service_definition")


# --- service requests ------------------------------------------------------------------------


def _public_cases(policy: Jurisdiction | None = None) -> QuerySet[Case]:
    """Cases reported through the public channels; through a district's jurisdiction, only
    those lying in the district (一市多区)."""
    cases = Case.objects.filter(public_report__isnull=False)
    if policy is not None and policy.region_id is not None and policy.region is not None:
        cases = cases.filter(grid__path__startswith=policy.region.path)
    return cases.select_related("category", "unit", "public_report", "open311_moderation")


def _outside(policy: Jurisdiction, grid: Region | None) -> bool:
    """A place outside the jurisdiction's district (None: not known yet, not outside)."""
    if policy.region_id is None or policy.region is None or grid is None:
        return False
    return not grid.path.startswith(policy.region.path)


def _text_published(case: Case, policy: Jurisdiction) -> bool:
    if policy.text_publication == TextPublication.ALWAYS:
        return True
    if policy.text_publication == TextPublication.MODERATED:
        mark = getattr(case, "open311_moderation", None)
        return mark is not None and mark.text_public
    return False


def _rounded(value: float | None, decimals: int) -> float | None:
    return None if value is None else round(value, decimals)


def _end_of_day(value: dt.datetime | None) -> str | None:
    """A deadline is stored as 00:00 of the next day; published as the last second of the
    day itself, so that it reads as the date the notice promises."""
    if value is None:
        return None
    day = deadlines.due_day(value)
    end = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())
    return _iso(end)


def _request_row(case: Case, policy: Jurisdiction) -> dict[str, Any]:
    """One request as GET publishes it: the resident's words only as the jurisdiction allows
    (never, after moderation, always), the point rounded to its decimals."""
    report: PublicReport = case.public_report  # type: ignore[attr-defined]
    text = _text_published(case, policy)
    decimals = policy.coordinate_decimals
    return {
        "service_request_id": case.tracking_code,
        "status": "closed" if case.is_closed else "open",
        "status_notes": case.reply or None,
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.description if text else None,
        "agency_responsible": case.unit.name if case.unit else None,
        "service_notice": _notice(report),
        "requested_datetime": _iso(case.created_at),
        "updated_datetime": _iso(case.updated_at),
        "expected_datetime": _end_of_day(case.due_at or report.promised_answer_by),
        "address": (case.address or None) if text else None,
        "address_id": case.site.code if case.site_id and case.site else None,
        "zipcode": None,
        "lat": _rounded(case.latitude, decimals),
        "long": _rounded(case.longitude, decimals),
        "media_url": None,  # photos are evidence about residents: not published
    }


def _notice(report: PublicReport) -> str:
    return _("An answer is promised by %(day)s.") % {"day": report.promised_on.isoformat()}


@open311("GET")
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    policy = publication_for(request.GET.get("jurisdiction_id", "").strip())
    case = (
        _public_cases(policy)
        .select_related("site")
        .filter(tracking_code=request_id.upper())
        .first()
    )
    if case is None:
        return render.errors(
            fmt, 404, _("service_request_id %(id)s was not found.") % {"id": request_id}
        )
    row = _request_row(case, policy)
    return render.respond(fmt, [row], root="service_requests", item="request")


@open311("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    return _list_requests(request, fmt)


class BadParameter(ValueError):
    """A query parameter that cannot be used; the message names it."""


def _date_param(request: HttpRequest, name: str) -> dt.datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:  # a "+" in a query string arrives as a space
        value = parse_datetime(raw.replace(" ", "+"))
    except ValueError:  # well formed but impossible, e.g. month 13
        value = None
    if value is None:
        raise BadParameter(
            _("%(name)s is not an ISO 8601 date and time, e.g. 2025-03-01T00:00:00+08:00.")
            % {"name": name}
        )
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise BadParameter(
            _("%(name)s must lie between the years %(first)d and %(last)d.")
            % {"name": name, "first": EARLIEST_YEAR, "last": LATEST_YEAR}
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _window(
    start: dt.datetime | None, end: dt.datetime | None, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """The dates searched: the last 90 days by default, 90 days from the one date given (a
    start in the future simply finds nothing yet)."""
    if start is not None and end is not None:
        return start, end
    if start is not None:
        return start, start + DEFAULT_SPAN
    if end is not None:
        return end - DEFAULT_SPAN, end
    return now - DEFAULT_SPAN, now


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """Filters: service_request_id (comma list; the others are then ignored, as the spec says),
    service_code, start_date, end_date (at most 90 days apart, the last 90 days by default),
    status (open, closed or both). Newest first, at most 1000."""
    policy = publication_for(request.GET.get("jurisdiction_id", "").strip())
    cases = _public_cases(policy).select_related("site")
    ids = [
        i.strip().upper() for i in request.GET.get("service_request_id", "").split(",") if i.strip()
    ]
    if ids:
        cases = cases.filter(tracking_code__in=ids[:MAX_RESULTS])
    else:
        try:
            start = _date_param(request, "start_date")
            end = _date_param(request, "end_date")
        except BadParameter as exc:
            return render.errors(fmt, 400, str(exc))
        start, end = _window(start, end, timezone.now())
        if end < start:
            return render.errors(fmt, 400, _("end_date is before start_date."))
        if end - start > DEFAULT_SPAN:
            return render.errors(
                fmt, 400, _("start_date and end_date may be at most 90 days apart.")
            )
        cases = cases.filter(created_at__gte=start, created_at__lte=end)
        codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
        if codes:
            cases = cases.filter(category__code__in=codes)
        wanted = {s.strip().lower() for s in request.GET.get("status", "").split(",") if s.strip()}
        if wanted - {"open", "closed"}:
            return render.errors(fmt, 400, _("status must be open, closed, or both."))
        if wanted == {"open"}:
            cases = cases.exclude(status__in=CLOSED_VALUES)
        elif wanted == {"closed"}:
            cases = cases.filter(status__in=CLOSED_VALUES)
    rows = [_request_row(c, policy) for c in cases.order_by("-created_at", "-id")[:MAX_RESULTS]]
    return render.respond(fmt, rows, root="service_requests", item="request")


def _float(request: HttpRequest, name: str) -> float | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    return float(raw)


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    """Create a service request: api_key (403), service_code (400), a location (400), then the
    same checks and record as the public page. The answer: [{service_request_id,
    service_notice, account_id}]."""
    post = request.POST
    # Many published clients send the key in the query string, as the spec's examples do.
    key: ApiKey | None = authenticate(post.get("api_key") or request.GET.get("api_key"))
    if key is None:
        return render.errors(fmt, 403, _("api_key is missing or not valid."))
    for name, value in post.items():  # every field: the form fields' rule (civgrid.lib.text)
        if problem := text_problem(value):
            return render.errors(fmt, 400, f"{name} {problem}")
    code = post.get("service_code", "").strip()
    if not code:
        return render.errors(fmt, 400, _("service_code is required."))
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        return render.errors(fmt, 400, _("service_code %(code)s was not found.") % {"code": code})
    try:
        lat, lon = _float(request, "lat"), _float(request, "long")
    except ValueError:
        return render.errors(fmt, 400, _("lat and long must be decimal numbers."))
    address_id = post.get("address_id", "").strip()
    address = post.get("address_string", "").strip()
    if lat is None and lon is None and not address_id and not address:
        return render.errors(
            fmt, 400, _("A location is required: lat and long, address_string or address_id.")
        )
    site = Site.objects.filter(code=address_id).first() if address_id else None
    grid = None
    if address_id and site is None:
        grid = Region.objects.filter(code=address_id, level=Region.Level.GRID).first()
        if grid is None:
            return render.errors(
                fmt, 400, _("address_id %(id)s is not a known site or grid.") % {"id": address_id}
            )
    if place_disagrees(grid, site, lon, lat):
        return render.errors(
            fmt,
            400,
            _("lat and long lie outside address_id %(id)s: they must agree.") % {"id": address_id},
        )
    # Through a district's jurisdiction the request must lie in that district (一市多区).
    policy = publication_for(
        (post.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or "").strip()
    )
    place = site.grid if site is not None else grid
    if place is None and lon is not None and lat is not None:
        place = locate_grid(lon, lat)
    if _outside(policy, place):
        return render.errors(
            fmt,
            400,
            _("The location lies outside %(name)s: send it through its own jurisdiction.")
            % {"name": policy.name},
        )
    try:
        hit("open311_ip", client_ip(request))
        hit("open311_key", str(key.pk))
    except RateLimited as exc:
        return _too_many(fmt, exc)
    name = " ".join(
        p for p in (post.get("first_name", "").strip(), post.get("last_name", "").strip()) if p
    )
    media_url = post.get("media_url", "").strip()[:500]
    try:
        done = public_actions.submit_report(
            channel=Channel.OPEN311,
            client_name=key.name,
            category=category,
            description=post.get("description", ""),
            longitude=lon,
            latitude=lat,
            address=address,
            grid=grid,
            site=site,
            reporter_name=name,
            reporter_phone=post.get("phone", ""),
            ip=client_ip(request),
            data={"media_url": media_url} if media_url else None,
            # A client that resends a request (lost answer, retry) gets the same case; keys
            # are the client's own, so another client's same key is another request.
            client_key=request.headers.get("Idempotency-Key"),
            key_owner=str(key.pk),
            # The resend binding of the public form (its browser's cookie) is the API key here.
            sender=f"open311-key:{key.pk}",
        )
    except CaseActionError as exc:
        return render.errors(fmt, 400, exc.message)
    private = request.build_absolute_uri(
        reverse("public:private", args=[done.case.tracking_code, done.token])
    )
    notice = _("%(notice)s Follow it and rate the answer at %(url)s") % {
        "notice": _notice(done.report),
        "url": private,
    }
    row = {
        "service_request_id": done.case.tracking_code,
        "service_notice": notice,
        "account_id": None,
    }
    return render.respond(fmt, [row], root="service_requests", item="request")
