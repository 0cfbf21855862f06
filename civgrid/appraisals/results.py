"""The end of a cycle: the public notice (公示) of the grades with its objections, then the
results fixed with each branch's movement against its last fixed result (升降星). The same
rules as civgrid.appraisals.cycles: one transaction, the row locked, refusals before writing,
an AppraisalEvent for every step."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civgrid.appraisals import grading
from civgrid.appraisals.actions import AppraisalError, _user
from civgrid.appraisals.cycles import _event, _locked, _require_office, check_text
from civgrid.appraisals.models import Cycle, Enrolment, Objection, PartyBranch
from civgrid.cases.deadlines import due_after_workdays
from civgrid.notices import events
from civgrid.org.models import Person
from civgrid.org.queries import AnyUser


def start_publicity(
    cycle: Cycle, *, actor: AnyUser | None, now: dt.datetime | None = None
) -> Cycle:
    """Announce the grades (公示) for the cycle's working days; every file must be graded and
    the grades must respect the scheme's quota."""
    now = now or timezone.now()
    with transaction.atomic():
        cycle = (
            Cycle.objects.select_for_update(of=("self",))
            .select_related("scheme", "region")
            .get(pk=cycle.pk)
        )
        _require_office(actor, cycle)
        if cycle.status != Cycle.Status.OPEN:
            raise AppraisalError(_("The public notice starts once, after the assessment."))
        enrolments = list(cycle.enrolments.select_related("branch"))
        waiting = [e for e in enrolments if e.status != Enrolment.Status.ACCEPTED]
        if not enrolments or waiting:
            raise AppraisalError(
                _("%(n)d file(s) are not graded yet.") % {"n": len(waiting)}
                if waiting
                else _("No subject is enrolled.")
            )
        check = grading.check_quota(
            grading.rule_of(cycle.scheme), {str(e.branch): e.rank or 0 for e in enrolments}
        )
        if check is not None and not check.ok:
            raise AppraisalError(
                _("The quota allows %(limit)d at the top grade, %(n)d reached it: %(names)s.")
                % {"limit": check.limit, "n": check.reached, "names": "、".join(check.over)}
            )
        cycle.status = Cycle.Status.PUBLICITY
        cycle.publicity_ends_at = due_after_workdays(now, cycle.publicity_days)
        cycle.save(update_fields=["status", "publicity_ends_at"])
        _event(
            cycle,
            "publicity",
            actor,
            data={"ends_at": cycle.publicity_ends_at.isoformat(), "days": cycle.publicity_days},
        )
        fillers = Person.objects.filter(party_branches_filled__enrolments__cycle=cycle).distinct()
        events.notify(
            "appraisal_publicity",
            [p.user for p in fillers],
            now=now,
            slot=f"appraisal-publicity:{cycle.pk}",
            data={"cycle": cycle.name, "ends_at": cycle.publicity_ends_at.isoformat()},
        )
    return cycle


def record_objection(
    enrolment: Enrolment, *, actor: AnyUser | None, text: str, raised_by: str = ""
) -> Objection:
    """The office records an objection received during the public notice (公示异议)."""
    if not text.strip():
        raise AppraisalError(_("Write the objection."))
    check_text(text, raised_by)
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _require_office(actor, enrolment.cycle)
        if enrolment.cycle.status != Cycle.Status.PUBLICITY:
            raise AppraisalError(_("Objections are recorded during the public notice."))
        objection = Objection.objects.create(
            enrolment=enrolment,
            text=text,
            raised_by=raised_by[:100],
            at=timezone.now(),
            recorded_by=_user(actor),
        )
        _event(enrolment.cycle, "objection", actor, enrolment=enrolment, note=text)
    return objection


def previous_rank(enrolment: Enrolment) -> int | None:
    """The branch's rank in its last fixed cycle of the same scheme code before this year."""
    last = (
        Enrolment.objects.filter(
            branch_id=enrolment.branch_id,
            status=Enrolment.Status.FIXED,
            cycle__scheme__code=enrolment.cycle.scheme.code,
            cycle__year__lt=enrolment.cycle.year,
        )
        .order_by("-cycle__year")
        .first()
    )
    return last.rank if last is not None else None


def fix_results(cycle: Cycle, *, actor: AnyUser | None, now: dt.datetime | None = None) -> Cycle:
    """After the public notice, fix the results (结果确定): each branch's movement against its
    last fixed result (升星, 保持, 降星, 新评, 摘星)."""
    now = now or timezone.now()
    with transaction.atomic():
        cycle = (
            Cycle.objects.select_for_update(of=("self",))
            .select_related("scheme", "region")
            .get(pk=cycle.pk)
        )
        _require_office(actor, cycle)
        if cycle.status != Cycle.Status.PUBLICITY:
            raise AppraisalError(_("Results are fixed after the public notice."))
        assert cycle.publicity_ends_at is not None
        if now < cycle.publicity_ends_at:
            raise AppraisalError(
                _("The public notice runs until %(at)s.")
                % {"at": timezone.localtime(cycle.publicity_ends_at).strftime("%Y-%m-%d %H:%M")}
            )
        moves: dict[str, int] = {}
        for enrolment in cycle.enrolments.select_related("cycle__scheme").select_for_update(
            of=("self",)
        ):
            enrolment.previous_rank = previous_rank(enrolment)
            enrolment.movement = grading.movement(enrolment.previous_rank, enrolment.rank) or ""
            enrolment.status = Enrolment.Status.FIXED
            enrolment.version += 1
            enrolment.save(update_fields=["previous_rank", "movement", "status", "version"])
            moves[enrolment.movement] = moves.get(enrolment.movement, 0) + 1
        cycle.status = Cycle.Status.FIXED
        cycle.fixed_at = now
        cycle.save(update_fields=["status", "fixed_at"])
        _event(cycle, "fixed", actor, data={"movements": moves})
    return cycle


def veto_in_year(
    branch: PartyBranch, *, actor: AnyUser | None, point_code: str, reason: str
) -> Enrolment:
    """A veto event during the year (e.g. a serious violation recorded against the branch)
    takes its stars at once (动态管理): its standing result — the last fixed one with a grade —
    drops to the lowest grade, with the veto item and the reason in its history."""
    if not reason.strip():
        raise AppraisalError(_("Give the reason for the veto."))
    check_text(reason)
    with transaction.atomic():
        standing = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("cycle__scheme", "cycle__region", "branch__region")
            .filter(branch=branch, status=Enrolment.Status.FIXED, rank__gt=0)
            .order_by("-cycle__year")
            .first()
        )
        if standing is None:
            raise AppraisalError(_("%(branch)s holds no rating to take.") % {"branch": branch})
        _require_office(actor, standing.cycle)
        point = standing.cycle.scheme.points.filter(code=point_code, is_veto=True).first()
        if point is None:
            raise AppraisalError(_("%(code)s is not a veto item.") % {"code": point_code})
        rule = grading.rule_of(standing.cycle.scheme)
        before = (standing.rank, standing.grade)
        lowest = 0 if rule.kind == grading.STARS else 1
        with translation.override(settings.LANGUAGE_CODE):
            standing.grade = rule.label(lowest)
        standing.rank = lowest
        standing.vetoed_by = sorted({*standing.vetoed_by, point.code})
        standing.movement = grading.Movement.DEMOTED if lowest else grading.Movement.LOST
        standing.version += 1
        standing.save(update_fields=["grade", "rank", "vetoed_by", "movement", "version"])
        _event(
            standing.cycle,
            "vetoed",
            actor,
            enrolment=standing,
            note=reason,
            data={
                "point": point.code,
                "rank": [before[0], lowest],
                "grade": [before[1], standing.grade],
            },
        )
    return standing
