"""Every change to a yearly cycle (年度考评) up to the grade: open, enrol, name the acceptance
group, score level by level with evidence, submit / pass up / send back, grade. The public notice
(公示) with its objections and the fixed results are in civgrid.appraisals.results.

The stage order is one table: a cycle is OPEN (files move between levels) → PUBLICITY (公示,
N working days, objections recorded) → FIXED. An enrolment is FILLING (level 1, the subject's
self-assessment) → REVIEW (levels 2…n) → ACCEPTED (graded at the last level) → FIXED; a
reviewer's send-back returns it to FILLING. Who acts at a level is the level's `by`:

- subject: the branch's fillers (支部联络员);
- parent: a clerk of the branch's parent unit (上级审查);
- unit: a clerk of the level's named unit;
- panel: an evaluator of the cycle's acceptance group, recorded as trained, never of the
  branch's own unit;
- office: the office whose scope holds the branch.

Every action runs in one transaction with the enrolment (or cycle) locked, refuses with
`AppraisalError` before writing anything, and writes an `AppraisalEvent`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civgrid.appraisals import grading
from civgrid.appraisals.actions import AppraisalError, NotAllowed, _name, _user, home_region
from civgrid.appraisals.models import (
    AppraisalEvent,
    Cycle,
    Enrolment,
    Evaluator,
    Evidence,
    EvidenceKind,
    PartyBranch,
    ReviewLevel,
    Scheme,
    Score,
    SubjectKind,
)
from civgrid.lib.photos import PhotoError, clean_photo
from civgrid.lib.text import text_problem
from civgrid.lib.uploads import UploadTooLarge, read_upload
from civgrid.notices import events
from civgrid.org.models import Person, Role
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.org.scope import scope_of

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _event(
    cycle: Cycle,
    kind: str,
    actor: AnyUser | None,
    *,
    enrolment: Enrolment | None = None,
    level: int | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    AppraisalEvent.objects.create(
        cycle=cycle,
        enrolment=enrolment,
        kind=kind,
        level=level,
        at=timezone.now(),
        by=_user(actor),
        by_name=_name(actor),
        note=note,
        data=data or {},
    )


def check_text(*texts: str) -> None:
    """Free text refuses invisible control characters (civgrid.lib.text), as forms do."""
    for text in texts:
        if problem := text_problem(text):
            raise AppraisalError(problem)


def _require_office(actor: AnyUser | None, cycle: Cycle | None = None) -> None:
    if role_of(actor) != Role.OFFICE:
        raise NotAllowed(_("Only the campaign office does this."))
    if cycle is not None and cycle.region is not None and not scope_of(actor).covers(cycle.region):
        raise NotAllowed(_("This cycle belongs to another district."))


# --- opening and enrolling -----------------------------------------------------------------


def open_cycle(
    scheme: Scheme, *, actor: AnyUser | None, year: int, name: str = "", publicity_days: int = 5
) -> Cycle:
    """Open the yearly round of a published scheme for the actor's district."""
    _require_office(actor)
    if scheme.status != Scheme.Status.PUBLISHED:
        raise AppraisalError(_("Only a published scheme can open a cycle."))
    if not 1 <= publicity_days <= 30:
        raise AppraisalError(_("The public notice lasts 1 to 30 working days."))
    region = home_region(actor)
    with transaction.atomic():
        taken = Cycle.objects.filter(scheme__code=scheme.code, year=year, region=region)
        if taken.exists():
            raise AppraisalError(
                _("The %(year)d cycle of %(scheme)s is open already.")
                % {"year": year, "scheme": scheme.name}
            )
        cycle = Cycle.objects.create(
            scheme=scheme,
            year=year,
            name=name or f"{year}年度{scheme.name}",
            region=region,
            publicity_days=publicity_days,
            opened_at=timezone.now(),
        )
        _event(cycle, "opened", actor, note=f"{scheme.code} v{scheme.version}")
    return cycle


def enrol(
    cycle: Cycle, branches: Iterable[PartyBranch], *, actor: AnyUser | None
) -> list[Enrolment]:
    """Enrol branches (参评); a branch enrolled already is left as it is."""
    _require_office(actor, cycle)
    if cycle.scheme.subject_kind != SubjectKind.PARTY_BRANCH:
        raise AppraisalError(_("This scheme does not appraise party branches."))
    scope = scope_of(actor)
    made: list[Enrolment] = []
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.status != Cycle.Status.OPEN:
            raise AppraisalError(_("Subjects are enrolled while the cycle is open."))
        branches = list(branches)
        for branch in branches:
            inside = cycle.region is None or branch.region.path.startswith(cycle.region.path)
            if not scope.covers(branch.region) or not inside:
                raise NotAllowed(
                    _("%(branch)s lies outside this cycle's district.") % {"branch": branch.name}
                )
        enrolled = set(cycle.enrolments.values_list("branch_id", flat=True))
        for branch in branches:
            if branch.pk in enrolled:
                continue
            enrolment = Enrolment.objects.create(cycle=cycle, branch=branch)
            _event(cycle, "enrolled", actor, enrolment=enrolment, level=1)
            made.append(enrolment)
    return made


def add_evaluator(
    cycle: Cycle, person: Person, *, trained_on: dt.date, actor: AnyUser | None
) -> Evaluator:
    """Name a member of the acceptance group, recorded as trained on `trained_on`."""
    _require_office(actor, cycle)
    if person.user is None:
        raise AppraisalError(_("The evaluator needs a login."))
    with transaction.atomic():
        evaluator, created = Evaluator.objects.update_or_create(
            cycle=cycle, person=person, defaults={"trained_on": trained_on}
        )
        _event(
            cycle, "evaluator", actor, note=person.name, data={"trained_on": trained_on.isoformat()}
        )
    return evaluator


# --- who acts at a level -------------------------------------------------------------------


def _level(cycle: Cycle, order: int) -> ReviewLevel:
    level = cycle.scheme.levels.filter(order__gte=order).order_by("order").first()
    if level is None:
        raise AppraisalError(_("The scheme has no such review level."))
    return level


def levels(cycle: Cycle) -> list[ReviewLevel]:
    return list(cycle.scheme.levels.select_related("unit").order_by("order"))


def check_actor(actor: AnyUser | None, enrolment: Enrolment, level: ReviewLevel) -> None:
    """Refuse (NotAllowed, with the reason) an actor who does not act at this level."""
    person = get_person(actor)
    branch = enrolment.branch
    assert branch is not None
    role = role_of(actor)
    if level.by == ReviewLevel.By.SUBJECT:
        ok = person is not None and branch.fillers.filter(pk=person.pk).exists()
    elif level.by == ReviewLevel.By.PARENT:
        ok = (
            role == Role.UNIT_CLERK
            and person is not None
            and branch.parent_unit_id is not None
            and person.unit_id == branch.parent_unit_id
        )
    elif level.by == ReviewLevel.By.UNIT:
        ok = role == Role.UNIT_CLERK and person is not None and person.unit_id == level.unit_id
    elif level.by == ReviewLevel.By.PANEL:
        ok = person is not None and enrolment.cycle.evaluators.filter(person=person).exists()
        if ok and person is not None and branch.unit_id and person.unit_id == branch.unit_id:
            raise NotAllowed(
                _("An evaluator may not score a branch of their own unit (%(unit)s).")
                % {"unit": branch.unit}
            )
    else:
        ok = role == Role.OFFICE and scope_of(actor).covers(branch.region)
    if not ok:
        raise NotAllowed(
            _("“%(level)s” is not yours to do for %(branch)s.")
            % {"level": level.name, "branch": branch.name}
        )


def _locked(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("cycle__scheme", "cycle__region", "branch__region")
        .get(pk=enrolment.pk)
    )


def _current_level(enrolment: Enrolment) -> ReviewLevel:
    if enrolment.status not in (Enrolment.Status.FILLING, Enrolment.Status.REVIEW):
        raise AppraisalError(_("This file is no longer being assessed."))
    if enrolment.cycle.status != Cycle.Status.OPEN:
        raise AppraisalError(_("The cycle is past its assessment stage."))
    return _level(enrolment.cycle, enrolment.level)


# --- scoring and evidence ------------------------------------------------------------------


def parse_points(value: Any) -> Decimal:
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise AppraisalError(_("“%(value)s” is not a number.") % {"value": value}) from None


def score(
    enrolment: Enrolment,
    *,
    actor: AnyUser | None,
    scores: Mapping[str, Decimal],
    vetoed: Iterable[str] = (),
    comment: str = "",
) -> Enrolment:
    """The actor's level scores some points of the file (criterion by criterion); a point
    scored again takes the new value. Out-of-range scores refuse the whole call."""
    vetoed = list(vetoed)
    check_text(comment)
    with transaction.atomic():
        enrolment = _locked(enrolment)
        level = _current_level(enrolment)
        check_actor(actor, enrolment, level)
        rule = grading.rule_of(enrolment.cycle.scheme)
        problems = grading.check_scores(rule, scores, vetoed)
        if problems:
            raise AppraisalError(" ".join(p.message for p in problems))
        points = {p.code: p for p in enrolment.cycle.scheme.points.all()}
        existing = {
            s.point.code: s
            for s in enrolment.scores.filter(level=level.order).select_related("point")
        }
        now = timezone.now()
        changes: dict[str, list[Any]] = {}
        for code in sorted(set(scores) | set(vetoed)):
            value = scores.get(code, existing[code].points if code in existing else Decimal(0))
            failed = code in vetoed
            old = existing.get(code)
            if old is None:
                Score.objects.create(
                    enrolment=enrolment,
                    level=level.order,
                    point=points[code],
                    points=value,
                    vetoed=failed,
                    comment=comment,
                    by=_user(actor),
                    at=now,
                )
                changes[code] = [None, str(value)]
            elif old.points != value or old.vetoed != failed:
                changes[code] = [str(old.points), str(value)]
                old.points, old.vetoed, old.by, old.at = value, failed, _user(actor), now
                old.comment = comment or old.comment
                old.save(update_fields=["points", "vetoed", "by", "at", "comment"])
        enrolment.version += 1
        enrolment.save(update_fields=["version"])
        _event(
            enrolment.cycle,
            "scored",
            actor,
            enrolment=enrolment,
            level=level.order,
            note=comment,
            data={"scores": changes, "vetoed": vetoed},
        )
    return enrolment


def attach_evidence(
    enrolment: Enrolment, *, actor: AnyUser | None, point_code: str, upload: Any, name: str = ""
) -> Evidence:
    """A subject attaches a photo (JPEG/PNG/WebP, cleaned of metadata) or a document (PDF) to
    a scoring point of its self-assessment; the kind must be one the point accepts."""
    point = enrolment.cycle.scheme.points.filter(code=point_code).first()
    if point is None:
        raise AppraisalError(_("No scoring point %(code)s.") % {"code": point_code})
    if point.evidence_kind == EvidenceKind.NONE:
        raise AppraisalError(
            _("%(code)s is scored on site: it takes no evidence.") % {"code": point_code}
        )
    try:
        data = read_upload(upload, max_bytes=MAX_DOCUMENT_BYTES)
    except UploadTooLarge as exc:
        raise AppraisalError(_("The file is %(why)s.") % {"why": exc}) from exc
    name = name or str(getattr(upload, "name", "") or "evidence")
    check_text(name)
    if data.startswith(b"%PDF-"):
        kind, content, extension = EvidenceKind.DOCUMENT, data, "pdf"
    else:
        try:
            photo = clean_photo(data, max_bytes=MAX_PHOTO_BYTES)
        except PhotoError as exc:
            raise AppraisalError(
                _("Evidence is a photo (JPEG, PNG, WebP) or a PDF document: %(why)s.")
                % {"why": exc}
            ) from exc
        kind, content, extension = EvidenceKind.PHOTO, photo.content, photo.extension
    if point.evidence_kind not in (EvidenceKind.ANY, kind):
        raise AppraisalError(
            _("%(code)s takes %(kind)s as evidence.")
            % {"code": point_code, "kind": point.get_evidence_kind_display()}
        )
    with transaction.atomic():
        enrolment = _locked(enrolment)
        level = _current_level(enrolment)
        if level.by != ReviewLevel.By.SUBJECT:
            raise AppraisalError(_("Evidence is attached while the branch fills its file."))
        check_actor(actor, enrolment, level)
        evidence = Evidence(
            enrolment=enrolment,
            point=point,
            kind=kind,
            name=name[:200],
            by=_user(actor),
            at=timezone.now(),
        )
        # The file is written before its row: a failed transaction leaves an orphan file to
        # sweep, never a row without its file.
        evidence.file.save(
            f"{enrolment.pk}-{point.code}.{extension}", ContentFile(content), save=False
        )
        evidence.save()
        _event(
            enrolment.cycle,
            "evidence",
            actor,
            enrolment=enrolment,
            level=level.order,
            note=evidence.name,
            data={"point": point.code, "kind": kind},
        )
    return evidence


# --- moving the file between levels --------------------------------------------------------


def submit(enrolment: Enrolment, *, actor: AnyUser | None, note: str = "") -> Enrolment:
    """The level holding the file passes it up (自评提交, 审查通过); at the last level the grade
    is computed from that level's scores (验收评定). Every point must be scored first."""
    with transaction.atomic():
        enrolment = _locked(enrolment)
        level = _current_level(enrolment)
        check_actor(actor, enrolment, level)
        scheme = enrolment.cycle.scheme
        mine = {
            s.point.code: s
            for s in enrolment.scores.filter(level=level.order).select_related("point")
        }
        unscored = [
            code for code in scheme.points.values_list("code", flat=True) if code not in mine
        ]
        if unscored:
            raise AppraisalError(
                _("Score every point first: %(codes)s.") % {"codes": "、".join(unscored[:10])}
            )
        later = [lv for lv in levels(enrolment.cycle) if lv.order > level.order]
        if later:
            enrolment.level = later[0].order
            enrolment.status = Enrolment.Status.REVIEW
            enrolment.version += 1
            enrolment.save(update_fields=["level", "status", "version"])
            _event(
                enrolment.cycle,
                "submitted",
                actor,
                enrolment=enrolment,
                level=level.order,
                note=note,
                data={"to_level": later[0].order},
            )
            _notify_due(enrolment, later[0])
            return enrolment
        rule = grading.rule_of(scheme)
        # The grade is stored as announced, in the installation's language, whoever grades.
        with translation.override(settings.LANGUAGE_CODE):
            result = grading.grade(
                rule,
                {code: s.points for code, s in mine.items()},
                [code for code, s in mine.items() if s.vetoed],
            )
        enrolment.status = Enrolment.Status.ACCEPTED
        enrolment.total = result.total
        enrolment.rank = result.rank
        enrolment.grade = result.label
        enrolment.vetoed_by = list(result.vetoed_by)
        enrolment.version += 1
        enrolment.save(update_fields=["status", "total", "rank", "grade", "vetoed_by", "version"])
        _event(
            enrolment.cycle,
            "graded",
            actor,
            enrolment=enrolment,
            level=level.order,
            note=note,
            data={
                "total": str(result.total),
                "rank": result.rank,
                "grade": result.label,
                "earned": list(result.earned),
                "vetoed_by": list(result.vetoed_by),
            },
        )
    return enrolment


def send_back(enrolment: Enrolment, *, actor: AnyUser | None, reason: str) -> Enrolment:
    """A reviewing level returns the file to the branch for more evidence (退回补充)."""
    if not reason.strip():
        raise AppraisalError(_("Say what the branch must add."))
    check_text(reason)
    with transaction.atomic():
        enrolment = _locked(enrolment)
        level = _current_level(enrolment)
        if level.by == ReviewLevel.By.SUBJECT:
            raise AppraisalError(_("The file is with the branch already."))
        check_actor(actor, enrolment, level)
        first = levels(enrolment.cycle)[0]
        enrolment.level = first.order
        enrolment.status = Enrolment.Status.FILLING
        enrolment.version += 1
        enrolment.save(update_fields=["level", "status", "version"])
        _event(
            enrolment.cycle,
            "sent_back",
            actor,
            enrolment=enrolment,
            level=level.order,
            note=reason,
        )
        branch = enrolment.branch
        assert branch is not None
        events.notify(
            "appraisal_sent_back",
            [p.user for p in branch.fillers.all()],
            now=timezone.now(),
            slot=f"appraisal-back:{enrolment.pk}:{enrolment.version}",
            data={
                "branch": branch.name,
                "level": level.name,
                "reason": reason,
                "enrolment": enrolment.pk,
            },
        )
    return enrolment


def _notify_due(enrolment: Enrolment, level: ReviewLevel) -> None:
    """Tell the people of the next level that a file waits for them (待审查)."""
    branch = enrolment.branch
    assert branch is not None
    people: Iterable[Person]
    if level.by in (ReviewLevel.By.PARENT, ReviewLevel.By.UNIT):
        unit_id = branch.parent_unit_id if level.by == ReviewLevel.By.PARENT else level.unit_id
        people = Person.objects.filter(role=Role.UNIT_CLERK, unit__pk=unit_id or 0)
    elif level.by == ReviewLevel.By.PANEL:
        people = [e.person for e in enrolment.cycle.evaluators.select_related("person")]
    else:
        people = []
    events.notify(
        "appraisal_due",
        [p.user for p in people],
        now=timezone.now(),
        slot=f"appraisal-due:{enrolment.pk}:{enrolment.version}",
        data={"branch": branch.name, "level": level.name, "enrolment": enrolment.pk},
    )
