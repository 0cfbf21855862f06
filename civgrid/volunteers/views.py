"""Pages of the volunteer side (志愿服务).

Thin views: what one may see comes through civgrid.volunteers.queries (outside it: 404), every
change through civgrid.volunteers.actions / attendance. The phone's check-in and check-out go
through the grid-worker app's offline outbox (fieldwork/outbox.js) to `scan_post`, which answers
JSON (201 recorded, 200 already recorded with this key, 400 refused with the reason).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civgrid.cases.errors import InvalidInput, NotAllowed
from civgrid.fieldwork.outbox import app_context
from civgrid.org.queries import role_of
from civgrid.org.scope import scope_of
from civgrid.public.qr import public_base_url, qr_svg
from civgrid.territory.models import Region
from civgrid.volunteers import actions, attendance, hours
from civgrid.volunteers.forms import ActivityForm, ConfirmForm, JoinForm, VolunteerImportForm
from civgrid.volunteers.imports import import_volunteers, template_workbook
from civgrid.volunteers.models import Activity, HoursCredit, Participation, Volunteer
from civgrid.volunteers.queries import (
    REGISTER_ROLES,
    STAFF_ROLES,
    activities_for_user,
    attendees,
    get_activity_by_code,
    get_activity_for_user,
    get_volunteer_for_user,
    may_manage_activity,
    may_manage_volunteer,
    may_see_full_contact,
    teams_for_user,
    volunteer_of,
    volunteers_for_user,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FLAG_LABELS = {
    "check_in_far": gettext_lazy("checked in far from the place"),
    "check_in_no_gps": gettext_lazy("checked in without GPS"),
    "check_in_by_organiser": gettext_lazy("checked in by the organiser"),
    "check_out_far": gettext_lazy("checked out far from the place"),
    "check_out_no_gps": gettext_lazy("checked out without GPS"),
    "check_out_by_organiser": gettext_lazy("checked out by the organiser"),
}


def _require(request: HttpRequest, roles: frozenset[str]) -> None:
    if role_of(request.user) not in roles:
        raise PermissionDenied


def _may_publish(request: HttpRequest) -> bool:
    if role_of(request.user) in actions.PUBLISH_ROLES:
        return True
    volunteer = volunteer_of(request.user)
    return volunteer is not None and volunteer.led_teams.exists()


# --- activities ---------------------------------------------------------------------------


@login_required
@require_GET
def activities(request: HttpRequest) -> HttpResponse:
    """Activities one may see, coming first then past (活动列表)."""
    now = timezone.now()
    qs = activities_for_user(request.user).select_related("region", "category", "team")
    qs = qs.annotate(
        signed=Count("participations", filter=Q(participations__cancelled_at__isnull=True))
    )
    to_confirm = request.GET.get("confirm") == "yes"
    if to_confirm:
        qs = qs.filter(
            participations__checked_in_at__isnull=False,
            participations__confirmed_at__isnull=True,
            participations__cancelled_at__isnull=True,
            ends_at__lte=now,
        )
    coming = qs.filter(ends_at__gt=now).order_by("starts_at")
    past = Paginator(qs.filter(ends_at__lte=now).order_by("-starts_at"), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "volunteers/activities.html",
        {
            "coming": coming[:50],
            "past": past,
            "to_confirm": to_confirm,
            "may_publish": _may_publish(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest) -> HttpResponse:
    if not _may_publish(request):
        raise PermissionDenied
    scope = scope_of(request.user)
    volunteer = volunteer_of(request.user)
    if volunteer is not None and role_of(request.user) not in actions.PUBLISH_ROLES:
        team_ids = list(volunteer.led_teams.values_list("pk", flat=True))
        teams = volunteer.led_teams.all()
        district = volunteer.region.district() or volunteer.region
        regions = Region.objects.filter(path__startswith=district.path)
    else:
        team_ids = []
        teams = teams_for_user(request.user)
        regions = scope.regions()
    form = ActivityForm(
        request.POST or None,
        regions=regions.filter(level__gte=Region.Level.STREET).order_by("code"),
        teams=teams,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if team_ids and data["team"] is None:
            form.add_error("team", _("Choose your team."))
        else:
            try:
                activity, _created = actions.publish_activity(
                    actor=request.user,  # type: ignore[arg-type]
                    title=data["title"],
                    category=data["category"],
                    region=data["region"],
                    team=data["team"],
                    place=data["place"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    places=data["places"],
                    max_hours=data["max_hours"],
                    longitude=data["longitude"],
                    latitude=data["latitude"],
                    description=data["description"],
                )
            except (InvalidInput, NotAllowed) as exc:
                form.add_error(
                    getattr(exc, "field", None)
                    if getattr(exc, "field", None) in form.fields
                    else None,
                    str(exc),
                )
            else:
                messages.success(request, _("The activity is published."))
                return redirect("volunteers:activity", activity.pk)
    return render(request, "volunteers/publish.html", {"form": form})


def _scan_url(request: HttpRequest, activity: Activity) -> str:
    return public_base_url(request) + reverse("volunteers:scan", args=[activity.code])


@login_required
@require_http_methods(["GET", "POST"])
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    """One activity: details, its QR code, and for its organiser the attendees to confirm."""
    act = get_activity_for_user(request.user, pk)
    manager = may_manage_activity(request.user, act)
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        if request.POST.get("step") == "cancel_activity":
            try:
                actions.cancel_activity(
                    actor=request.user,  # type: ignore[arg-type]
                    activity=act,
                    reason=request.POST.get("reason", ""),
                )
            except (InvalidInput, NotAllowed) as exc:
                messages.error(request, str(exc))
            return redirect("volunteers:activity", act.pk)
        participation = get_object_or_404(
            Participation, pk=request.POST.get("participation"), activity=act
        )
        try:
            step = request.POST.get("step")
            if step == "check_in":
                attendance.check_in(
                    actor=request.user, code=act.code, volunteer=participation.volunteer
                )  # type: ignore[arg-type]
            elif step == "check_out":
                attendance.check_out(
                    actor=request.user, code=act.code, volunteer=participation.volunteer
                )  # type: ignore[arg-type]
        except (InvalidInput, NotAllowed) as exc:
            messages.error(request, str(exc))
        return redirect("volunteers:activity", act.pk)
    own = None
    volunteer = volunteer_of(request.user)
    if volunteer is not None:
        own = act.participations.filter(volunteer=volunteer).first()
    people = list(attendees(act)) if manager else []
    credits = {
        c["volunteer_id"]: c["h"]
        for c in HoursCredit.objects.filter(activity=act)
        .values("volunteer_id")
        .annotate(h=Sum("hours"))
    }
    full = may_see_full_contact(request.user)
    rows = [
        {
            "p": p,
            "phone": p.volunteer.phone if full else p.volunteer.masked_phone(),
            "flags": [str(FLAG_LABELS.get(f, f)) for f in p.flags],
            "hours": credits.get(p.volunteer_id),
            "form": ConfirmForm(prefix=f"c{p.pk}"),
        }
        for p in people
    ]
    url = _scan_url(request, act)
    return render(
        request,
        "volunteers/activity.html",
        {
            "activity": act,
            "manager": manager,
            "rows": rows,
            "own": own,
            "signed": act.participations.filter(cancelled_at__isnull=True).count(),
            "scan_url": url,
            "qr": qr_svg(url, title=act.title) if manager else "",
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int, participation: int) -> HttpResponse:
    act = get_activity_for_user(request.user, pk)
    if not may_manage_activity(request.user, act):
        raise PermissionDenied
    part = get_object_or_404(Participation, pk=participation, activity=act)
    form = ConfirmForm(request.POST, prefix=f"c{part.pk}")
    if not form.is_valid():
        messages.error(request, _("Check the times."))
        return redirect("volunteers:activity", act.pk)
    try:
        credit = attendance.confirm_attendance(
            actor=request.user,  # type: ignore[arg-type]
            participation=part,
            checked_in_at=form.cleaned_data["checked_in_at"],
            checked_out_at=form.cleaned_data["checked_out_at"],
            note=form.cleaned_data["note"],
        )
    except (InvalidInput, NotAllowed) as exc:
        messages.error(request, f"{part.volunteer.name}: {exc}")
    else:
        hours_text = credit.hours if credit else Decimal(0)
        messages.success(
            request,
            _("Confirmed: %(name)s, %(hours)s h.")
            % {"name": part.volunteer.name, "hours": hours_text},
        )
    return redirect("volunteers:activity", act.pk)


# --- the phone: scanning the activity's code ----------------------------------------------


@require_GET
def scan(request: HttpRequest, code: str) -> HttpResponse:
    """What the activity's QR code opens on a phone: sign up, check in, check out."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return redirect(f"{reverse('volunteers:join')}?next={request.path}")
    act = get_activity_by_code(request.user, code)
    own = act.participations.filter(volunteer=volunteer, cancelled_at__isnull=True).first()
    context = app_context(request)
    context["urls"] = {**context["urls"], "scan": reverse("volunteers:scan_post", args=[code])}
    return render(
        request,
        "volunteers/scan.html",
        {
            **context,
            "activity": act,
            "volunteer": volunteer,
            "own": own,
            "left": act.places - act.participations.filter(cancelled_at__isnull=True).count(),
        },
    )


@login_required
@require_POST
def sign_up(request: HttpRequest, code: str) -> HttpResponse:
    act = get_activity_by_code(request.user, code)
    try:
        actions.sign_up(actor=request.user, activity=act)
    except (InvalidInput, NotAllowed) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You are signed up."))
    return redirect("volunteers:scan", code)


def _float(value: str | None) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is None or number == number else None  # NaN is no position


@require_POST
def scan_post(request: HttpRequest, code: str) -> JsonResponse:
    """A check-in or check-out from the phone's outbox (JSON; the key makes a resend a no-op)."""
    if not request.user.is_authenticated:
        return JsonResponse({"message": _("Log in first.")}, status=401)
    step = request.POST.get("step")
    at = parse_datetime(request.POST.get("at") or "") if request.POST.get("at") else None
    if request.POST.get("at") and at is None:
        return JsonResponse({"message": _("The scan time is not a date and time.")}, status=400)
    key = request.headers.get("Idempotency-Key") or request.POST.get("client_key") or ""
    action = {"check_in": attendance.check_in, "check_out": attendance.check_out}.get(step or "")
    if action is None:
        return JsonResponse({"message": _("Unknown step.")}, status=400)
    try:
        participation, created = action(
            actor=request.user,
            code=code,
            at=at,
            longitude=_float(request.POST.get("longitude")),
            latitude=_float(request.POST.get("latitude")),
            client_key=key,
        )
    except (InvalidInput, NotAllowed) as exc:
        return JsonResponse({"message": str(exc), "field": getattr(exc, "field", "")}, status=400)
    return JsonResponse(
        {
            "id": participation.pk,
            "step": step,
            "flags": participation.flags,
            "checked_in_at": participation.checked_in_at,
            "checked_out_at": participation.checked_out_at,
        },
        status=201 if created else 200,
    )


# --- the register -------------------------------------------------------------------------


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The register of one's area (志愿者名册), with the registrations to approve."""
    _require(request, STAFF_ROLES)
    qs = volunteers_for_user(request.user).select_related("region", "team")
    status = request.GET.get("status", "")
    if status in Volunteer.Status.values:
        qs = qs.filter(status=status)
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(team__name__contains=q))
    qs = qs.annotate(total=Sum("credits__hours"))
    page = Paginator(qs.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    full = may_see_full_contact(request.user)
    return render(
        request,
        "volunteers/register.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "statuses": Volunteer.Status.choices,
            "full": full,
            "can_import": role_of(request.user) in REGISTER_ROLES,
        },
    )


def _record(volunteer: Volunteer) -> dict[str, Any]:
    credits = list(volunteer.credits.select_related("activity").order_by("credited_at", "pk"))
    total = sum((c.hours for c in credits), Decimal(0))
    return {
        "credits": credits,
        "total": total,
        "level": hours.star_level(total),
        "levels": hours.levels_reached((c.credited_at, c.hours) for c in credits),
        "to_next": hours.hours_to_next(total),
        "participations": volunteer.participations.filter(cancelled_at__isnull=True)
        .select_related("activity")
        .order_by("-activity__starts_at")[:100],
    }


@login_required
@require_http_methods(["GET", "POST"])
def volunteer(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_volunteer_for_user(request.user, pk)
    manager = may_manage_volunteer(request.user, person)
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        try:
            actions.decide_registration(
                actor=request.user,
                volunteer=person,
                approve=request.POST.get("decision") == "approve",
                note=request.POST.get("note", ""),
            )
        except (InvalidInput, NotAllowed) as exc:
            messages.error(request, str(exc))
        return redirect("volunteers:volunteer", person.pk)
    full = may_see_full_contact(request.user)
    return render(
        request,
        "volunteers/volunteer.html",
        {
            "v": person,
            "manager": manager,
            "phone": person.phone if full else person.masked_phone(),
            "id_number": person.id_number if full else person.masked_id_number(),
            **_record(person),
        },
    )


@login_required
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """A volunteer's own page: activities, hours, star level (我的志愿服务)."""
    person = volunteer_of(request.user)
    if person is None:
        return redirect("volunteers:join")
    return render(
        request,
        "volunteers/me.html",
        {
            "v": person,
            "phone": person.masked_phone(),
            "id_number": person.masked_id_number(),
            **_record(person),
        },
    )


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Self-registration, public (the posters' QR code); the community approves it."""
    nxt = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = ""
    if volunteer_of(request.user) is not None:
        return redirect(nxt or "volunteers:me")
    form = JoinForm(request.POST or None)
    if not request.user.is_authenticated:
        form.fields["password"].required = True
    else:
        del form.fields["password"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = actions.join(
                user=request.user,
                name=data["name"],
                phone=data["phone"],
                id_number=data["id_number"],
                region=data["region"],
                password=data.get("password", ""),
                political_status=data["political_status"],
                skills=data["skills"],
                availability=data["availability"],
            )
        except (InvalidInput, NotAllowed) as exc:
            field = getattr(exc, "field", None)
            form.add_error(field if field in form.fields else None, str(exc))
        else:
            if not request.user.is_authenticated and person.user is not None:
                login(request, person.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Registered. The community will approve your registration soon.")
            )
            return redirect(nxt or "volunteers:me")
    return render(request, "volunteers/join.html", {"form": form, "next": nxt})


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload the volunteer register (志愿者导入); errors come back as a table."""
    _require(request, REGISTER_ROLES)
    form = VolunteerImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_volunteers(
            form.cleaned_data["file"].read(),
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(request, "volunteers/import.html", {"form": form, "result": result})


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require(request, REGISTER_ROLES)
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "志愿者导入模板.xlsx")
    return response
