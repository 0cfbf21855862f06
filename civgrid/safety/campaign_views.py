"""Pages of inspection campaigns (专项检查) and of the check on the phone.

Thin views: campaigns and assignments come through civgrid.safety.queries (outside: 404),
changes through civgrid.safety.campaigns and civgrid.safety.checks, figures from
civgrid.safety.figures.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from civgrid.cases.errors import CaseActionError
from civgrid.fieldwork.outbox import app_context
from civgrid.org.decorators import office_required
from civgrid.org.models import Role
from civgrid.org.queries import role_of
from civgrid.org.scope import scope_of
from civgrid.safety import campaigns
from civgrid.safety.checks import ItemAnswer, dispatch, record_check
from civgrid.safety.figures import campaign_hazards, figures, overdue_q, rectified_q
from civgrid.safety.forms import CampaignForm, CheckForm, DivideForm, GroupForm
from civgrid.safety.models import Hazard, SafetyCheck
from civgrid.safety.queries import (
    assignments_for_user,
    campaigns_for_user,
    get_assignment_for_user,
    get_campaign_for_user,
    items_for_kind,
)

# The drill-down lists behind the campaign's figures.
LISTS = ("hazards", "major", "on_spot", "rectified", "overdue", "pending")


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request: HttpRequest) -> HttpResponse:
    """The campaigns I plan or check in; the office plans a new one here."""
    is_office = role_of(request.user) == Role.OFFICE
    form = CampaignForm(request.POST or None, scope=scope_of(request.user)) if is_office else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = campaigns.plan_campaign(actor=_actor(request), **data)
            except CaseActionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect("safety:campaign", pk=campaign.pk)
    context = {
        "campaigns": campaigns_for_user(request.user).select_related("region"),
        "form": form,
    }
    return render(
        request, "safety/campaigns.html", context, status=400 if form and form.errors else 200
    )


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign: its figures (with the lists behind them), groups and their venues."""
    found = get_campaign_for_user(request.user, pk)
    now = timezone.now()
    scope = scope_of(request.user)
    is_office = role_of(request.user) == Role.OFFICE
    shown = request.GET.get("list", "")
    hazards = None
    if shown in LISTS:
        qs = campaign_hazards(found, now).select_related("enterprise", "item", "case")
        if shown == "major":
            qs = qs.filter(grade="major")
        elif shown == "on_spot":
            qs = qs.filter(case__fixed_on_spot=True)
        elif shown == "rectified":
            qs = qs.filter(rectified_q(now))
        elif shown == "overdue":
            qs = qs.filter(overdue_q(now))
        elif shown == "pending":
            qs = qs.filter(case__status="reported")
        hazards = qs.order_by("-found_at")[:500]
    groups = [
        (
            g,
            g.assignments.count(),
            SafetyCheck.objects.filter(assignment__group=g)
            .values("enterprise_id")
            .distinct()
            .count(),
        )
        for g in found.groups.prefetch_related("members")
    ]
    context = {
        "campaign": found,
        "figures": figures(found, now),
        "groups": groups,
        "hazards": hazards,
        "shown": shown,
        "is_office": is_office,
        "may_dispatch": role_of(request.user) in (Role.OFFICE, Role.INSPECTOR),
        "group_form": GroupForm(scope=scope) if is_office else None,
        "divide_form": DivideForm() if is_office else None,
    }
    return render(request, "safety/campaign.html", context)


@office_required
@require_POST
def add_group(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_campaign_for_user(request.user, pk)
    form = GroupForm(request.POST, scope=scope_of(request.user))
    if form.is_valid():
        try:
            campaigns.form_group(found, actor=_actor(request), **form.cleaned_data)
        except CaseActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Group formed."))
    else:
        messages.error(request, _("Give the group a name and its members."))
    return redirect("safety:campaign", pk=found.pk)


@office_required
@require_POST
def divide(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_campaign_for_user(request.user, pk)
    form = DivideForm(request.POST)
    if form.is_valid():
        try:
            n = campaigns.divide(
                found, actor=_actor(request), by=form.cleaned_data["by"], now=timezone.now()
            )
        except CaseActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)d venues divided among the groups.") % {"n": n})
    return redirect("safety:campaign", pk=found.pk)


@login_required
@require_POST
def dispatch_hazard(request: HttpRequest, pk: int, hazard_pk: int) -> HttpResponse:
    found = get_campaign_for_user(request.user, pk)
    hazard = campaign_hazards(found, timezone.now()).filter(pk=hazard_pk).first()
    if hazard is None:
        raise Http404
    try:
        case = dispatch(hazard, actor=_actor(request))
    except CaseActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Assigned as %(code)s.") % {"code": case.tracking_code})
    return redirect(reverse("safety:campaign", args=[found.pk]) + "?list=pending")


@login_required
def my_checks(request: HttpRequest) -> HttpResponse:
    """The venues my group checks (我的检查任务), unchecked first, on the phone."""
    assignments = list(assignments_for_user(request.user).order_by("campaign", "group", "order"))
    checked = set(
        SafetyCheck.objects.filter(assignment__in=assignments).values_list(
            "assignment_id", flat=True
        )
    )
    rows = sorted(((a, a.pk in checked) for a in assignments), key=lambda r: r[1])
    return render(request, "safety/my_checks.html", {**app_context(request), "rows": rows})


@never_cache  # a fresh client key every time the form is drawn
@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check one venue item by item (安全检查) on the phone; works offline through the outbox."""
    assignment = get_assignment_for_user(request.user, pk)
    items = items_for_kind(assignment.enterprise.kind, assignment.campaign.checklist)
    form = CheckForm(request.POST or None, items=items)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            answers = [
                ItemAnswer(
                    item,
                    passed=data[f"result_{item.pk}"] == "pass",
                    note=data[f"note_{item.pk}"],
                    fixed_on_spot=data[f"result_{item.pk}"] == "fixed",
                    photos=request.FILES.getlist(f"photos_{item.pk}")
                    if data[f"result_{item.pk}"] != "pass"
                    else [],
                )
                for item in items
            ]
            try:
                result, created = record_check(
                    assignment,
                    actor=_actor(request),
                    answers=answers,
                    note=data["note"],
                    client_key=data["client_key"],
                )
            except CaseActionError as exc:
                form.add_error(None, exc.message)
            else:
                n = Hazard.objects.filter(safety_check=result).count()
                if created:
                    messages.success(request, _("Check recorded: %(n)d hidden dangers.") % {"n": n})
                else:
                    messages.info(request, _("This check had already been recorded."))
                return redirect("safety:my_checks")
        status = 400
    context = {**app_context(request), "assignment": assignment, "form": form}
    return render(request, "safety/check.html", context, status=status)
