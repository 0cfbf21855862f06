"""Pages of households and visits (入户走访).

Thin views: households come through civgrid.visits.queries (outside one's grids: 404), a
visit is recorded by civgrid.visits.actions.log_visit, due/missed lists and coverage come
from civgrid.visits.plans.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from civgrid.cases.actions import CaseActionError
from civgrid.fieldwork.outbox import app_context
from civgrid.org.decorators import office_required
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, role_of
from civgrid.visits import plans
from civgrid.visits.actions import ProblemInput, import_households, log_visit
from civgrid.visits.forms import CoverageForm, HouseholdImportForm, VisitForm
from civgrid.visits.imports import template_workbook
from civgrid.visits.models import FLAG_LABELS, FLAGS, Household, VisitPlan
from civgrid.visits.queries import (
    COVERAGE_ROLES,
    VISIT_ROLES,
    get_household_for_user,
    get_worker_for_user,
    grids_for_user,
    households_for_user,
    may_see_phone,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request: HttpRequest, roles: frozenset[str]) -> None:
    if role_of(request.user) not in roles:
        raise PermissionDenied


@dataclass
class DueBlock:
    """One plan's due households for the page, nearest deadline first."""

    plan: VisitPlan
    period: plans.Period
    households: list[Household]
    missed: list[Household]
    total: int
    done: int
    days_left: int


def _by_ids(ids: list[int]) -> list[Household]:
    found = Household.objects.filter(pk__in=ids).select_related("grid")
    by_pk = {h.pk: h for h in found}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def due_blocks(user: AnyUser | None, today: dt.date) -> list[DueBlock]:
    scope = households_for_user(user)
    blocks = []
    for plan in VisitPlan.objects.filter(is_active=True, active_from__lte=today):
        period = plans.period_containing(plan.frequency, today)
        current = plans.period_status(plan, period, scope)
        previous = plans.period_status(plan, period.previous(), scope)
        blocks.append(
            DueBlock(
                plan,
                period,
                _by_ids(current.unvisited),
                _by_ids(previous.unvisited),
                current.total,
                current.done,
                period.days_left(today),
            )
        )
    blocks.sort(key=lambda b: (b.period.end, b.plan.name))
    return blocks


@login_required
@require_GET
def due(request: HttpRequest) -> HttpResponse:
    """My visit plan (走访任务): households due this period in my grids, and those missed."""
    _require(request, VISIT_ROLES)
    today = timezone.localdate()
    return render(
        request, "visits/due.html", {"blocks": due_blocks(request.user, today), "today": today}
    )


@login_required
@require_GET
def households(request: HttpRequest) -> HttpResponse:
    """The household register (住户台账) of my grids, searchable."""
    _require(request, VISIT_ROLES)
    qs = households_for_user(request.user).select_related("grid")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(address__icontains=q) | Q(head_name__icontains=q))
    grid = request.GET.get("grid", "")
    if grid.isdigit():
        qs = qs.filter(grid_id=int(grid))
    flag = request.GET.get("flag", "")
    if flag in FLAGS:
        qs = qs.filter(**{flag: True})
    page = Paginator(qs.order_by("grid__code", "code"), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "grid": grid,
        "flag": flag,
        "grids": grids_for_user(request.user).order_by("code"),
        "flags": list(FLAG_LABELS.items()),
        "can_import": role_of(request.user) == Role.OFFICE,
    }
    return render(request, "visits/households.html", context)


@never_cache  # a fresh client key every time the form is drawn
@login_required
@require_http_methods(["GET", "POST"])
def household(request: HttpRequest, pk: int) -> HttpResponse:
    """A household with its visit history, and the form to log a visit (走访登记)."""
    _require(request, VISIT_ROLES)
    found = get_household_for_user(request.user, pk)
    can_log = role_of(request.user) in (Role.GRID_WORKER, Role.OFFICE)
    status = 200
    form = VisitForm(request.POST or None) if can_log else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            problems = []
            if data["raise_problem"]:
                problems.append(
                    ProblemInput(
                        category=data["category"],
                        description=data["description"],
                        urgency=data["urgency"],
                        photos=request.FILES.getlist("photos"),
                        fixed_on_spot=data["fixed_on_spot"],
                        fix_note=data["fix_note"],
                    )
                )
            try:
                visit, created = log_visit(
                    actor=request.user,  # type: ignore[arg-type]
                    household=found,
                    notes=data["notes"],
                    visited_at=data["visited_at"],
                    problems=problems,
                    client_key=data["client_key"],
                )
            except CaseActionError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, exc.message)
            else:
                if created:
                    codes = "、".join(c.tracking_code for c in visit.cases.all())
                    text = _("Visit recorded.")
                    if codes:
                        text += " " + _("Problem reported: %(codes)s.") % {"codes": codes}
                    messages.success(request, text)
                else:
                    messages.info(request, _("This visit had already been recorded."))
                return redirect("visits:household", pk=found.pk)
        status = 400
    visits = found.visits.prefetch_related("cases").order_by("-visited_at")[:50]
    today = timezone.localdate()
    plan_rows = []
    for plan in VisitPlan.objects.filter(is_active=True, active_from__lte=today):
        if plans.plan_households(plan).filter(pk=found.pk).exists():
            period = plans.period_containing(plan.frequency, today)
            visited = found.pk in plans.visited_ids(Household.objects.filter(pk=found.pk), period)
            plan_rows.append((plan, period, visited))
    context = {
        **app_context(request),
        "household": found,
        "phone": found.phone if may_see_phone(request.user, found) else found.masked_phone(),
        "visits": visits,
        "form": form,
        "plan_rows": plan_rows,
    }
    return render(request, "visits/household.html", context, status=status)


@office_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload the household register (住户导入); errors come back as a table."""
    form = HouseholdImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_households(
            form.cleaned_data["file"].read(),
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(request, "visits/import.html", {"form": form, "result": result})


@office_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "住户导入模板.xlsx")
    return response


def _plan_and_day(request: HttpRequest) -> tuple[CoverageForm, VisitPlan | None, dt.date]:
    form = CoverageForm(request.GET or None)
    today = form.day()
    plan = form.cleaned_data.get("plan") if form.is_valid() else None
    if plan is None:
        plan = VisitPlan.objects.filter(is_active=True).first()
    return form, plan, today


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    """Coverage of a plan this period (走访覆盖率), per grid and per grid worker."""
    _require(request, COVERAGE_ROLES)
    form, plan, today = _plan_and_day(request)
    context: dict[str, Any] = {"form": form, "plan": plan, "today": today}
    if plan is not None:
        period = plans.period_containing(plan.frequency, today)
        scope = households_for_user(request.user)
        status = plans.period_status(plan, period, scope)
        missed_status = plans.period_status(plan, period.previous(), scope)
        by_grid, by_worker = plans.coverage(status)
        context.update(
            period=period,
            status=status,
            missed=len(missed_status.unvisited),
            by_grid=by_grid,
            by_worker=by_worker,
            on=today.isoformat(),
        )
    return render(request, "visits/coverage.html", context)


@login_required
@require_GET
def plan_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Drill-down: the households due (or missed) of a plan, for a grid or a worker."""
    _require(request, COVERAGE_ROLES | VISIT_ROLES)
    plan = get_object_or_404(VisitPlan, pk=pk, is_active=True)
    form, _plan, today = _plan_and_day(request)
    which = request.GET.get("which", "due")
    if which not in ("due", "missed"):
        raise Http404
    scope: QuerySet[Household] = households_for_user(request.user)
    title = ""
    grid = request.GET.get("grid", "")
    if grid.isdigit():
        scope = scope.filter(grid_id=int(grid))
        found = grids_for_user(request.user).filter(pk=int(grid)).first()
        if found is None:
            raise Http404
        title = found.name
    worker = request.GET.get("worker", "")
    if worker.isdigit():
        person = get_worker_for_user(request.user, worker)
        scope = scope.filter(plans.grid_ids_of_worker(person))
        title = person.name
    period = plans.period_containing(plan.frequency, today)
    if which == "missed":
        period = period.previous()
    status = plans.period_status(plan, period, scope)
    rows = _by_ids(status.unvisited)
    context = {
        "plan": plan,
        "period": period,
        "which": which,
        "rows": rows,
        "title": title,
        "on": today.isoformat(),
    }
    return render(request, "visits/plan_list.html", context)
