"""Pages of inspections: plan, follow, fill the checklist on a phone, scores, rounds compared,
standards at risk, findings and their Excel export.

Thin views: parse the form, fetch through civgrid.inspections.queries, call the action,
render. The checklist answers one standard at a time; an htmx request gets that standard's
partial back, a normal request is redirected to the checklist (PRG).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civgrid.cases.actions import CaseActionError
from civgrid.inspections import actions, scores
from civgrid.inspections.export import export_filename, findings_workbook
from civgrid.inspections.forms import CheckForm, CompareForm, PlanForm
from civgrid.inspections.models import CheckResult, Inspection, InspectionSite, Status
from civgrid.inspections.queries import (
    FINDING_READERS,
    SCORE_READERS,
    applicable_standards,
    can_plan,
    findings_for_user,
    get_inspection_for_user,
    get_inspection_site_for_user,
    grid_scope,
    inspections_for_user,
    is_on_team,
    my_inspections,
    sites_for_user,
    with_counts,
)
from civgrid.org.queries import role_of
from civgrid.standards.models import ChecklistQuestion, Standard


def _require(request: HttpRequest, roles: frozenset[str]) -> None:
    if role_of(request.user) not in roles:
        raise PermissionDenied


# --- list, plan, detail ---------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require(request, SCORE_READERS)
    inspections = with_counts(
        inspections_for_user(request.user).select_related("framework"), request.user
    ).order_by("-starts_on", "-id")
    return render(
        request,
        "inspections/index.html",
        {"inspections": inspections, "can_plan": can_plan(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    if not can_plan(request.user):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = PlanForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                result = actions.plan_inspection(actor=request.user, **form.plan_kwargs())  # type: ignore[arg-type]
            except CaseActionError as exc:
                field = exc.field if exc.field in form.fields else None
                if exc.field in ("sites", "sample_sizes"):
                    field = None
                form.add_error(field, exc.message)
            else:
                messages.success(
                    request,
                    _("Inspection planned with %(n)d sites.")
                    % {"n": result.inspection.sites.count()},
                )
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect("inspections:detail", pk=result.inspection.pk)
        status = 400
    else:
        form = PlanForm(
            user=request.user,
            initial={"starts_on": timezone.localdate(), "ends_on": timezone.localdate()},
        )
    return render(request, "inspections/plan.html", {"form": form}, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, pk)
    sites = list(
        sites_for_user(request.user, inspection)
        .select_related("site__grid", "visited_by__person")
        .annotate(
            n_results=Count("results", distinct=True),
            n_failed=Count("results", filter=Q(results__outcome="fail"), distinct=True),
        )
    )
    points = [
        {
            "name": s.site.name,
            "lon": s.longitude if s.longitude is not None else s.site.longitude,
            "lat": s.latitude if s.latitude is not None else s.site.latitude,
            "done": s.status == InspectionSite.State.DONE,
        }
        for s in sites
        if (s.longitude or s.site.longitude) is not None
    ]
    done = sum(1 for s in sites if s.status == InspectionSite.State.DONE)
    return render(
        request,
        "inspections/detail.html",
        {
            "inspection": inspection,
            "sites": sites,
            "done": done,
            "points": points,
            "team": inspection.team.select_related("person"),
            "on_team": is_on_team(request.user, inspection),
            "can_complete": inspection.is_open and (can_plan(request.user)),
            "n_findings": findings_for_user(request.user).filter(inspection=inspection).count(),
        },
    )


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, pk)
    try:
        actions.complete_inspection(inspection, actor=request.user)  # type: ignore[arg-type]
    except CaseActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The inspection is completed."))
    return redirect("inspections:detail", pk=pk)


# --- the phone checklist --------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    inspections = with_counts(my_inspections(request.user), request.user).order_by(
        "-starts_on", "-id"
    )
    return render(request, "inspections/mine.html", {"inspections": inspections})


def _team_inspection(request: HttpRequest, pk: int) -> Inspection:
    inspection = get_inspection_for_user(request.user, pk)
    if not is_on_team(request.user, inspection):
        raise PermissionDenied
    return inspection


@login_required
@require_GET
def sites(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _team_inspection(request, pk)
    rows = inspection.sites.select_related("site__grid").order_by("status", "order", "id")
    return render(request, "inspections/sites.html", {"inspection": inspection, "rows": rows})


def _checklist_items(isite: InspectionSite) -> list[dict[str, Any]]:
    standards = applicable_standards(isite.inspection.framework_id, isite.site.kind)
    results = {
        r.standard_id: r for r in isite.results.select_related("finding__case__unit", "question")
    }
    return [{"standard": s, "result": results.get(s.pk)} for s in standards]


def _item_context(
    isite: InspectionSite, standard: Standard, result: CheckResult | None, **extra: Any
) -> dict[str, Any]:
    return {"isite": isite, "item": {"standard": standard, "result": result}, **extra}


@login_required
@require_GET
def checklist(request: HttpRequest, pk: int, site_pk: int) -> HttpResponse:
    inspection = _team_inspection(request, pk)
    isite = get_inspection_site_for_user(request.user, inspection.pk, site_pk)
    items = _checklist_items(isite)
    answered = sum(1 for i in items if i["result"] is not None)
    return render(
        request,
        "inspections/checklist.html",
        {"inspection": inspection, "isite": isite, "items": items, "answered": answered},
    )


@login_required
@require_POST
def answer(request: HttpRequest, pk: int, site_pk: int, standard_pk: int) -> HttpResponse:
    inspection = _team_inspection(request, pk)
    isite = get_inspection_site_for_user(request.user, inspection.pk, site_pk)
    standard = Standard.objects.filter(pk=standard_pk, framework=inspection.framework).first()
    if standard is None:
        raise Http404(_("No such standard in this inspection's framework."))
    form = CheckForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        d = form.cleaned_data
        question = (
            ChecklistQuestion.objects.filter(pk=d["question"], standard=standard).first()
            if d.get("question")
            else None
        )
        try:
            actions.record_check(
                isite,
                actor=request.user,  # type: ignore[arg-type]
                standard=standard,
                outcome=d["outcome"],
                note=d.get("note") or "",
                question=question,
                photos=d.get("photos") or [],
                fixed_on_spot=bool(d.get("fixed_on_spot")),
                fix_note=d.get("fix_note") or "",
                longitude=d.get("longitude"),
                latitude=d.get("latitude"),
                accuracy=d.get("accuracy"),
            )
        except CaseActionError as exc:
            error = exc.message
    else:
        error = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    result = (
        CheckResult.objects.select_related("finding__case__unit", "question")
        .filter(inspection_site=isite, standard=standard)
        .first()
    )
    if getattr(request, "htmx", False):
        context = _item_context(isite, standard, result, error=error, posted=form.data)
        return render(request, "inspections/_standard.html", context, status=400 if error else 200)
    if error:
        messages.error(request, f"{standard.code}: {error}")
    else:
        messages.success(request, _("%(code)s recorded.") % {"code": standard.code})
    return redirect(reverse("inspections:checklist", args=[pk, site_pk]) + f"#std-{standard.pk}")


@login_required
@require_POST
def site_done(request: HttpRequest, pk: int, site_pk: int) -> HttpResponse:
    inspection = _team_inspection(request, pk)
    isite = get_inspection_site_for_user(request.user, inspection.pk, site_pk)
    try:
        actions.complete_site(isite, actor=request.user)  # type: ignore[arg-type]
    except CaseActionError as exc:
        messages.error(request, exc.message)
        return redirect("inspections:checklist", pk=pk, site_pk=site_pk)
    messages.success(request, _("%(site)s: done.") % {"site": isite.site.name})
    return redirect("inspections:sites", pk=pk)


# --- scores, comparison, at risk, findings ---------------------------------------------------


def _view_param(request: HttpRequest) -> str:
    view = request.GET.get("view", "raw")
    return view if view in scores.VIEWS else "raw"


@login_required
@require_GET
def score(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, SCORE_READERS)
    inspection = get_inspection_for_user(request.user, pk)
    by = request.GET.get("by", "item")
    if by not in scores.BREAKDOWNS:
        by = "item"
    checks = scores.checks_of(inspection, grid_ids=grid_scope(request.user))
    return render(
        request,
        "inspections/scores.html",
        {
            "inspection": inspection,
            "by": by,
            "view": _view_param(request),
            "breakdowns": scores.BREAKDOWNS,
            "whole": scores.total(checks),
            "lines": scores.breakdown(checks, by),
            "limited": grid_scope(request.user) is not None,
        },
    )


@login_required
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    _require(request, SCORE_READERS)
    visible = inspections_for_user(request.user).exclude(status=Status.PLANNED)
    form = CompareForm(request.GET or None, inspections=visible)
    by = request.GET.get("by", "item")
    if by not in scores.BREAKDOWNS:
        by = "item"
    view = _view_param(request)
    rows = None
    totals = None
    if form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        if a.framework_id != b.framework_id:
            form.add_error("b", _("Compare rounds of the same framework."))
        else:
            grids = grid_scope(request.user)
            checks_a, checks_b = (
                scores.checks_of(a, grid_ids=grids),
                scores.checks_of(b, grid_ids=grids),
            )
            rows = scores.compare(checks_a, checks_b, by, view)
            totals = scores.Comparison(
                key=None,
                label=_("Whole round"),
                a=scores.total(checks_a),
                b=scores.total(checks_b),
                view=view,
            )
    return render(
        request,
        "inspections/compare.html",
        {
            "form": form,
            "by": by,
            "view": view,
            "breakdowns": scores.BREAKDOWNS,
            "rows": rows,
            "totals": totals,
        },
    )


@login_required
@require_GET
def at_risk(request: HttpRequest) -> HttpResponse:
    _require(request, FINDING_READERS)
    now = timezone.now()
    risks = scores.at_risk(findings_for_user(request.user), now)
    return render(request, "inspections/at_risk.html", {"risks": risks, "now": now})


@login_required
@require_GET
def findings(request: HttpRequest) -> HttpResponse:
    _require(request, FINDING_READERS)
    rows = findings_for_user(request.user).select_related(
        "case__unit", "standard", "site__grid", "inspection", "check_result"
    )
    inspection_pk = request.GET.get("inspection")
    if inspection_pk and inspection_pk.isdigit():
        rows = rows.filter(inspection_id=int(inspection_pk))
    return render(
        request,
        "inspections/findings.html",
        {"findings": rows[:500], "now": timezone.now(), "inspection_pk": inspection_pk or ""},
    )


@login_required
@require_GET
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """The findings of one inspection the reader may see, as .xlsx."""
    _require(request, FINDING_READERS)
    rows = findings_for_user(request.user).filter(inspection_id=pk)
    if not rows.exists() and not inspections_for_user(request.user).filter(pk=pk).exists():
        raise Http404(_("No such inspection."))
    response = HttpResponse(
        findings_workbook(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(pk)}"'
    return response
