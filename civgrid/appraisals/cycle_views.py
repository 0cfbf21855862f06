"""Pages of the yearly cycle: the cycles, one cycle's files and the office's steps, and one
file (参评材料) where each level scores, attaches evidence, submits or sends back. Thin: parse,
fetch through queries.py, call cycles.py / results.py, redirect with the outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civgrid.appraisals import cycles, queries, results
from civgrid.appraisals.actions import AppraisalError, NotAllowed
from civgrid.appraisals.certificates import certificates
from civgrid.appraisals.figures import cycle_figures
from civgrid.appraisals.models import Cycle, Enrolment, PartyBranch, ReviewLevel, Scheme
from civgrid.org.models import Person, Role
from civgrid.org.queries import role_of
from civgrid.org.scope import scope_of


def _outcome(request: HttpRequest, call: Callable[[], Any], done: str) -> bool:
    try:
        call()
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except AppraisalError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, done)
    return True


@login_required
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    is_office = role_of(request.user) == Role.OFFICE
    schemes = (
        queries.schemes_for_user(request.user).filter(status=Scheme.Status.PUBLISHED)
        if is_office
        else Scheme.objects.none()
    )
    return render(
        request,
        "appraisals/cycle_list.html",
        {
            "cycles": queries.cycles_for_user(request.user)
            .select_related("scheme", "region")
            .annotate(n=Count("enrolments")),
            "schemes": schemes,
            "is_office": is_office,
            "year": timezone.localdate().year,
        },
    )


@login_required
@require_POST
def cycle_open(request: HttpRequest) -> HttpResponse:
    scheme = (
        queries.schemes_for_user(request.user).filter(pk=request.POST.get("scheme") or 0).first()
    )
    if scheme is None:
        messages.error(request, _("Choose a published scheme."))
        return redirect("appraisals:cycles")
    try:
        year = int(request.POST.get("year", ""))
        days = int(request.POST.get("publicity_days", "5"))
    except ValueError:
        messages.error(request, _("Give the year and the public notice days as numbers."))
        return redirect("appraisals:cycles")
    made: list[Cycle] = []
    if _outcome(
        request,
        lambda: made.append(
            cycles.open_cycle(scheme, actor=request.user, year=year, publicity_days=days)
        ),
        _("The cycle is open."),
    ):
        return redirect("appraisals:cycle", made[0].pk)
    return redirect("appraisals:cycles")


@login_required
@require_http_methods(["GET", "POST"])
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = queries.get_cycle_for_user(request.user, pk)
    is_office = role_of(request.user) == Role.OFFICE
    if request.method == "POST":
        if not is_office:
            raise PermissionDenied
        _cycle_step(request, cycle)
        return redirect("appraisals:cycle", cycle.pk)
    mine = queries.enrolments_for_user(request.user).filter(cycle=cycle)
    figures = cycle_figures(cycle, mine)
    files = mine.select_related("branch__region").order_by("branch__kind", "branch__code")
    kind, rank = request.GET.get("kind", ""), request.GET.get("rank", "")
    if kind in PartyBranch.Kind.values:
        files = files.filter(branch__kind=kind)
    if rank.isdigit():
        files = files.filter(
            rank=int(rank), status__in=[Enrolment.Status.ACCEPTED, Enrolment.Status.FIXED]
        )
    if (movement := request.GET.get("movement", "")) in MOVEMENTS:
        files = files.filter(movement=movement)
    level_names = {lv.order: lv.name for lv in cycles.levels(cycle)}
    candidates = Person.objects.none()
    if is_office:
        candidates = (
            Person.objects.filter(
                user__isnull=False, role__in=[Role.OFFICE, Role.INSPECTOR, Role.UNIT_CLERK]
            )
            .exclude(pk__in=cycle.evaluators.values("person_id"))
            .select_related("unit")[:300]
        )
    return render(
        request,
        "appraisals/cycle_detail.html",
        {
            "cycle": cycle,
            "files": [(f, level_names.get(f.level, "")) for f in files],
            "figures": figures,
            "filtered": bool(kind or rank or movement),
            "evaluators": cycle.evaluators.select_related("person__unit"),
            "candidates": candidates,
            "is_office": is_office,
            "events": cycle.events.filter(enrolment__isnull=True),
            "today": timezone.localdate(),
        },
    )


def _cycle_step(request: HttpRequest, cycle: Cycle) -> None:
    step = request.POST.get("step")
    actor = request.user
    if step == "enrol_all":
        branches = PartyBranch.objects.filter(scope_of(actor).q("region"), is_active=True)
        if cycle.region is not None:
            branches = branches.filter(region__path__startswith=cycle.region.path)
        made: list[Enrolment] = []
        _outcome(
            request,
            lambda: made.extend(
                cycles.enrol(cycle, branches.select_related("region"), actor=actor)
            ),
            _("Branches enrolled."),
        )
    elif step == "evaluator":
        person = Person.objects.filter(pk=request.POST.get("person") or 0).first()
        try:
            trained_on = dt.date.fromisoformat(request.POST.get("trained_on", ""))
        except ValueError:
            messages.error(request, _("Give the training date."))
            return
        if person is None:
            messages.error(request, _("Choose the evaluator."))
            return
        _outcome(
            request,
            lambda: cycles.add_evaluator(cycle, person, trained_on=trained_on, actor=actor),
            _("Evaluator recorded."),
        )
    elif step == "publicity":
        _outcome(
            request,
            lambda: results.start_publicity(cycle, actor=actor),
            _("Public notice started."),
        )
    elif step == "fix":
        _outcome(request, lambda: results.fix_results(cycle, actor=actor), _("Results fixed."))
    else:
        messages.error(request, _("Unknown step."))


MOVEMENTS = frozenset({"new", "promoted", "kept", "demoted", "lost"})
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def cycle_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """The results list and one certificate per rated branch (授牌), as Word: the office."""
    cycle = queries.get_cycle_for_user(request.user, pk)
    if role_of(request.user) != Role.OFFICE:
        raise PermissionDenied
    try:
        data = certificates(cycle)
    except AppraisalError as exc:
        messages.error(request, str(exc))
        return redirect("appraisals:cycle", cycle.pk)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{cycle.name}证书.docx")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = queries.get_enrolment_for_user(request.user, pk)
    if request.method == "POST":
        _file_step(request, enrolment)
        return redirect("appraisals:file", enrolment.pk)
    cycle = enrolment.cycle
    levels = cycles.levels(cycle)
    current = next((lv for lv in levels if lv.order == enrolment.level), None)
    may_act = False
    if (
        current is not None
        and enrolment.status in (Enrolment.Status.FILLING, Enrolment.Status.REVIEW)
        and cycle.status == Cycle.Status.OPEN
    ):
        try:
            cycles.check_actor(request.user, enrolment, current)
            may_act = True
        except NotAllowed:
            pass
    scores: dict[tuple[int, str], Any] = {
        (s.level, s.point.code): s for s in enrolment.scores.select_related("point")
    }
    evidence: dict[str, list[Any]] = {}
    for item in enrolment.evidence.select_related("point").order_by("at"):
        evidence.setdefault(item.point.code, []).append(item)
    tree = []
    for dimension, criteria in queries.tree(cycle.scheme):
        rows = []
        for criterion, points in criteria:
            for point in points:
                rows.append(
                    {
                        "point": point,
                        "criterion": criterion,
                        "by_level": [scores.get((lv.order, point.code)) for lv in levels],
                        "mine": scores.get((enrolment.level, point.code)),
                        "evidence": evidence.get(point.code, []),
                    }
                )
        tree.append((dimension, rows))
    return render(
        request,
        "appraisals/file.html",
        {
            "file": enrolment,
            "cycle": cycle,
            "levels": levels,
            "current": current,
            "may_act": may_act,
            "takes_evidence": may_act
            and current is not None
            and current.by == ReviewLevel.By.SUBJECT,
            "tree": tree,
            "events": enrolment.events.all(),
            "objections": enrolment.objections.all(),
            "veto_points": list(cycle.scheme.points.filter(is_veto=True)),
            "is_office": role_of(request.user) == Role.OFFICE,
        },
    )


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """An evidence file, to those who may see the file it belongs to."""
    enrolment = queries.get_enrolment_for_user(request.user, pk)
    item = enrolment.evidence.filter(pk=evidence_pk).first()
    if item is None:
        raise Http404("no such evidence")
    return FileResponse(item.file.open("rb"), filename=item.name or "evidence")


def _file_step(request: HttpRequest, enrolment: Enrolment) -> None:
    step = request.POST.get("step")
    actor = request.user
    if step in ("score", "submit"):
        scores: dict[str, Decimal] = {}
        vetoed: list[str] = []
        for point in enrolment.cycle.scheme.points.all():
            raw = request.POST.get(f"p_{point.code}", "").strip()
            if not raw and not point.max_points:
                raw = "0"  # a point worth nothing (a veto item) needs no typing
            if raw:
                try:
                    scores[point.code] = cycles.parse_points(raw)
                except AppraisalError as exc:
                    messages.error(request, f"{point.code}: {exc}")
                    return
            if request.POST.get(f"v_{point.code}"):
                vetoed.append(point.code)
        comment = request.POST.get("comment", "")[:2000]
        saved = not (scores or vetoed) or _outcome(
            request,
            lambda: cycles.score(
                enrolment, actor=actor, scores=scores, vetoed=vetoed, comment=comment
            ),
            _("Scores saved."),
        )
        if not saved:
            return
        if step == "submit":
            _outcome(request, lambda: cycles.submit(enrolment, actor=actor), _("Passed on."))
    elif step == "send_back":
        _outcome(
            request,
            lambda: cycles.send_back(
                enrolment, actor=actor, reason=request.POST.get("reason", "")[:2000]
            ),
            _("Sent back to the branch."),
        )
    elif step == "evidence":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file."))
            return
        _outcome(
            request,
            lambda: cycles.attach_evidence(
                enrolment,
                actor=actor,
                point_code=request.POST.get("point", ""),
                upload=upload,
                name=upload.name or "",
            ),
            _("Evidence attached."),
        )
    elif step == "veto":
        branch = enrolment.branch
        if branch is None:
            messages.error(request, _("Unknown step."))
            return
        _outcome(
            request,
            lambda: results.veto_in_year(
                branch,
                actor=actor,
                point_code=request.POST.get("point", ""),
                reason=request.POST.get("reason", "")[:2000],
            ),
            _("The rating is taken."),
        )
    elif step == "objection":
        _outcome(
            request,
            lambda: results.record_objection(
                enrolment,
                actor=actor,
                text=request.POST.get("text", "")[:2000],
                raised_by=request.POST.get("raised_by", ""),
            ),
            _("Objection recorded."),
        )
    else:
        messages.error(request, _("Unknown step."))
