"""The public pages (群众反映): report, tracking-code status, private status with the rating;
and, for the campaign office, the QR codes to print per grid and site.

Thin views: the abuse checks that need the request (rate limits, honeypot) happen here, the
rules in civgrid.public.actions and civgrid.cases.actions. No public page shows a staff name,
a phone number, a note of the office or a photo.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from civgrid.cases.actions import CaseActionError
from civgrid.open311.queries import public_notice
from civgrid.org.decorators import office_required
from civgrid.public import actions, qr
from civgrid.public.forms import PublicReportForm, RatingForm, TrackForm
from civgrid.public.models import Channel, PublicReport
from civgrid.public.queries import get_public_report, public_timeline, status_words
from civgrid.public.ratelimit import RateLimited, client_ip, hit
from civgrid.territory.models import Region, Site
from civgrid.territory.queries import grids


def _tiles() -> dict[str, str]:
    return {"url": settings.CIVGRID_TILE_URL, "attribution": settings.CIVGRID_TILE_ATTRIBUTION}


def _private(response: HttpResponse) -> HttpResponse:
    """Pages that carry or follow a private link: never cached, never leak it as a Referer to
    another site. "same-origin", not "no-referrer": with no referrer at all Chromium sends
    `Origin: null` on the rating form's POST and Django's CSRF check refuses it (found by
    test_browser_public)."""
    patch_cache_control(response, no_store=True, private=True)
    response["Referrer-Policy"] = "same-origin"
    return response


def too_many(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    """429 with a message a resident understands and a Retry-After header; nothing stored."""
    minutes = max(1, (exc.retry_after + 59) // 60)
    message = _(
        "Too many requests from your network or phone number. Please try again in "
        "%(minutes)d minutes. If it is urgent, call the hotline 12345."
    ) % {"minutes": minutes}
    response = render(request, "public/limited.html", {"message": message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return _private(response)


# --- the report form -------------------------------------------------------------------------

# The browser's secret on the public pages: a resent form is honoured only from the browser
# that first sent it (actions.submit_report). Set with the form, before the first POST, so a
# resend after a lost first answer still carries it.
SENDER_COOKIE = "civgrid_sender"


def _sender(request: HttpRequest) -> str:
    value = request.COOKIES.get(SENDER_COOKIE, "")
    return value if 20 <= len(value) <= 64 else ""


def _with_sender(request: HttpRequest, response: HttpResponse, sender: str) -> HttpResponse:
    if request.COOKIES.get(SENDER_COOKIE) != sender:
        response.set_cookie(
            SENDER_COOKIE,
            sender,
            max_age=30 * 24 * 3600,
            path=reverse("public:report"),
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return response


def _initial_place(request: HttpRequest) -> tuple[dict[str, Any], Region | Site | None]:
    """?grid=<code> or ?site=<code> from a printed QR code preselects the place."""
    site_code = request.GET.get("site", "").strip()
    grid_code = request.GET.get("grid", "").strip()
    if site_code:
        site = Site.objects.select_related("grid").filter(code=site_code).first()
        if site is not None:
            return {"site": site.code, "grid": site.grid_id}, site
    if grid_code:
        grid = grids().filter(code=grid_code).first()
        if grid is not None:
            return {"grid": grid.pk}, grid
    return {}, None


@never_cache
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    status = 200
    place: Region | Site | None = None
    sender = _sender(request) or secrets.token_urlsafe(24)
    if request.method == "POST":
        form = PublicReportForm(request.POST, request.FILES)
        ip = client_ip(request)
        try:
            hit("report_ip", ip)
            if form.is_bot:
                # Answer like a refusal, store nothing, say nothing a bot could learn from.
                form.add_error(None, _("The report could not be sent. Please try again."))
            elif form.is_valid():
                phone = "".join(c for c in form.cleaned_data["reporter_phone"] if c.isdigit())
                hit("report_phone", phone)
                try:
                    done = actions.submit_report(
                        channel=Channel.WEB, ip=ip, sender=sender, **form.report_kwargs()
                    )
                except CaseActionError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    url = reverse("public:private", args=[done.case.tracking_code, done.token])
                    url += "?new=1" if done.created else "?again=1"
                    return _with_sender(request, redirect(url), sender)
        except RateLimited as exc:
            return too_many(request, exc)
        status = 400
        site = form.cleaned_data.get("site") if hasattr(form, "cleaned_data") else None
        place = site
    else:
        initial, place = _initial_place(request)
        form = PublicReportForm(initial=initial)
    context = {
        "form": form,
        "place": place,
        "had_files": bool(request.FILES),
        "tiles": _tiles(),
        "max_photos": settings.CIVGRID_PHOTO_MAX_COUNT,
        "public_notice": public_notice(),
    }
    response = render(request, "public/report.html", context, status=status)
    return _with_sender(request, response, sender)


@require_GET
def grids_geojson(request: HttpRequest) -> JsonResponse:
    """Grid outlines and names for the public form's map (no people, no counts)."""
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": geometry,
            "properties": {"id": pk, "code": code, "name": name, "area": area_name},
        }
        for pk, code, name, geometry, area_name in grids()
        .exclude(geometry=None)
        .values_list("id", "code", "name", "geometry", "parent__name")
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    patch_cache_control(response, public=True, max_age=300)
    return response


# --- following a report ----------------------------------------------------------------------


@require_GET
def track(request: HttpRequest) -> HttpResponse:
    """The look-up form: a tracking code leads to its status page."""
    form = TrackForm(request.GET or None)
    if form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        return redirect("public:status", code=code)
    return _private(render(request, "public/track.html", {"form": form}))


def _status_context(report: PublicReport) -> dict[str, Any]:
    case = report.case
    now = timezone.now()
    return {
        "report": report,
        "case": case,
        "status_words": status_words(case),
        "timeline": public_timeline(case),
        "late": report.is_answer_late(now, case.replied_at),
    }


@require_GET
def status(request: HttpRequest, code: str) -> HttpResponse:
    """Progress by tracking code: anyone with the code sees it; rating needs the private link."""
    try:
        hit("lookup_ip", client_ip(request))
    except RateLimited as exc:
        return too_many(request, exc)
    report = get_public_report(code)
    return _private(render(request, "public/status.html", _status_context(report)))


@require_http_methods(["GET", "POST"])
def private(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """The private status link given at reporting: the status, and the rating once answered."""
    try:
        hit("lookup_ip" if request.method == "GET" else "rate_ip", client_ip(request))
    except RateLimited as exc:
        return too_many(request, exc)
    report = get_public_report(code)
    if not actions.check_token(report, token):
        raise Http404(_("No report has this tracking code."))
    status_code = 200
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                actions.rate_report(
                    report,
                    token=token,
                    score=form.cleaned_data["score"],
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                )
            except CaseActionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status_code = exc.http_status
            else:
                return redirect(request.path + "?rated=1")
        else:
            status_code = 400
        report.case.refresh_from_db()
    else:
        form = RatingForm(initial={"version": report.case.version})
    case = report.case
    context = _status_context(report)
    context.update(
        private=True,
        rating_form=form,
        can_rate=case.replied_at is not None and case.satisfaction is None and case.is_closed,
        new=request.GET.get("new") == "1",
        again=request.GET.get("again") == "1",
        rated=request.GET.get("rated") == "1",
        private_url=request.build_absolute_uri(request.path),
    )
    return _private(render(request, "public/status.html", context, status=status_code))


# --- QR codes for the office -----------------------------------------------------------------


@office_required
@require_GET
def qr_index(request: HttpRequest) -> HttpResponse:
    """Every 片区 with its grids and sites, a QR preview each, and the printable sheets."""
    areas = Region.objects.filter(level=Region.Level.AREA).select_related("parent")
    by_area: dict[int | None, list[Region]] = {}
    for grid in grids().prefetch_related("sites").order_by("code"):
        by_area.setdefault(grid.parent_id, []).append(grid)
    rows = [(area, by_area.get(area.pk, [])) for area in areas]
    orphans = by_area.get(None, [])
    context = {"rows": rows, "orphans": orphans, "base_url": qr.public_base_url(request)}
    return render(request, "public/qr_index.html", context)


@office_required
@require_GET
def qr_sheet(request: HttpRequest, code: str) -> HttpResponse:
    """A printable sheet for one 片区: a card per grid with its name, QR code and URL."""
    area = get_object_or_404(Region, code=code, level=Region.Level.AREA)
    cards = []
    for grid in grids().filter(parent=area).order_by("code"):
        url = qr.report_url(request, grid=grid)
        cards.append((grid, url, qr.qr_svg(url, scale=5, title=grid.name)))
    return render(request, "public/qr_sheet.html", {"area": area, "cards": cards})


@office_required
@require_GET
def qr_image(request: HttpRequest, kind: str, code: str, fmt: str) -> HttpResponse:
    """The QR code of one grid or site, as SVG or PNG (?download=1 to save it as a file)."""
    if kind == "grid":
        grid = get_object_or_404(Region, code=code, level=Region.Level.GRID)
        url, name = qr.report_url(request, grid=grid), grid.name
    else:
        site = get_object_or_404(Site, code=code)
        url, name = qr.report_url(request, site=site), site.name
    if fmt == "svg":
        svg = '<?xml version="1.0" encoding="utf-8"?>\n' + qr.qr_svg(url, scale=10, title=name)
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    else:
        response = HttpResponse(qr.qr_png(url), content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{kind}-{code}.{fmt}"'
    patch_cache_control(response, private=True, max_age=3600)
    return response
