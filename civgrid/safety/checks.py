"""Recording a safety check item by item, and putting its hidden dangers on the ledger.

A failed item is a hidden danger (隐患) and becomes exactly one ledger case
(civgrid.cases.reporting.report_case, source "safety inspection"): fixed on the spot (closed
at once, with the photo), or registered and assigned to the enterprise's regulating unit
with the item's deadline (civgrid.safety.rules). The case's own workflow does the rest: the
unit reports the fix, the re-inspection (复查) is the ledger's verification by an inspector or
the office — never the unit that fixed it — and only a passed one crosses it off (销号).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases import actions as case_actions
from civgrid.cases.deadlines import due_day
from civgrid.cases.errors import InvalidInput, NotAllowed
from civgrid.cases.models import Case, Category, Source
from civgrid.cases.photos import PhotoInput
from civgrid.cases.reporting import MAX_CLIENT_KEY, report_case
from civgrid.cases.workflow import Status
from civgrid.org.models import Role
from civgrid.org.queries import get_person, role_of
from civgrid.org.scope import scope_of
from civgrid.safety.models import Assignment, ChecklistItem, Hazard, ItemResult, SafetyCheck
from civgrid.safety.rules import rectification_due_at

# A phone's clock may run a little ahead; a check may be sent days after it was made offline.
CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_BACKDATE = dt.timedelta(days=31)
MAX_NOTE = 500
# The ledger category of hidden dangers when none is named like the item's section.
DEFAULT_CATEGORY_CODE = "AQYH"
DISPATCH_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR})


@dataclass(frozen=True)
class ItemAnswer:
    item: ChecklistItem
    passed: bool
    note: str = ""
    photos: Sequence[PhotoInput] = ()
    fixed_on_spot: bool = False
    fix_note: str = ""


def may_check(actor: User, assignment: Assignment) -> bool:
    """A member of the group the enterprise is assigned to, or the office in its scope."""
    role = role_of(actor)
    if role == Role.OFFICE:
        return scope_of(actor).covers(assignment.enterprise.grid)
    person = get_person(actor)
    return person is not None and assignment.group.members.filter(pk=person.pk).exists()


def category_for(item: ChecklistItem) -> Category:
    found = (
        Category.objects.filter(name=item.section, is_active=True).first()
        or Category.objects.filter(code=DEFAULT_CATEGORY_CODE, is_active=True).first()
    )
    if found is None:
        raise InvalidInput(
            _(
                "No ledger category for hidden dangers: the campaign office must add one named "
                "“%(section)s” or with code %(code)s."
            )
            % {"section": item.section, "code": DEFAULT_CATEGORY_CODE},
            "item",
        )
    return found


def _clean(text: str, field: str, limit: int = MAX_NOTE) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": limit}, field)
    return text


def record_check(
    assignment: Assignment,
    *,
    actor: User,
    answers: Sequence[ItemAnswer],
    note: str = "",
    checked_at: dt.datetime | None = None,
    client_key: str | None = None,
) -> tuple[SafetyCheck, bool]:
    """Record one check of an enterprise; returns (check, created).

    Every item of the campaign's checklist that applies to the venue's kind is answered, once.
    With `client_key` a phone resending the same check (the outbox after a lost connection)
    gets the first one back, and its hidden dangers are on the ledger once.
    """
    key = (client_key or "").strip()
    if len(key) > MAX_CLIENT_KEY:
        raise InvalidInput(_("The client key is too long."), "client_key")
    if key:
        existing = SafetyCheck.objects.filter(checked_by=actor, client_key=key).first()
        if existing is not None:
            return existing, False
    enterprise = assignment.enterprise
    if not may_check(actor, assignment):
        raise NotAllowed(_("This enterprise is not assigned to your inspection group."))
    now = timezone.now()
    when = checked_at or now
    if when > now + CLOCK_SKEW:
        raise InvalidInput(_("The check time is in the future."), "checked_at")
    if when < now - MAX_BACKDATE:
        raise InvalidInput(_("The check is too old to be recorded."), "checked_at")
    note = _clean(note, "note")
    expected = {
        item.pk: item
        for item in assignment.campaign.checklist.items.all()
        if item.applies_to(enterprise.kind)
    }
    given = [a.item.pk for a in answers]
    if len(set(given)) != len(given) or set(given) - set(expected):
        raise InvalidInput(_("Answer each item of this venue's checklist once."), "answers")
    missing = [expected[pk].code for pk in expected if pk not in given]
    if missing:
        raise InvalidInput(
            _("Items not answered: %(codes)s.") % {"codes": "、".join(missing)}, "answers"
        )
    for answer in answers:
        if answer.passed and (answer.fixed_on_spot or answer.photos):
            raise InvalidInput(
                _("Only a failed item has photos or is fixed on the spot."), "answers"
            )
    person = get_person(actor)
    try:
        with transaction.atomic():
            check = SafetyCheck.objects.create(
                assignment=assignment,
                enterprise=enterprise,
                checked_by=actor,
                checker_name=person.name if person else actor.get_username(),
                checked_at=when,
                note=note,
                client_key=key,
                created_at=now,
            )
            for answer in answers:
                ItemResult.objects.create(
                    safety_check=check,
                    item=answer.item,
                    passed=answer.passed,
                    note=_clean(answer.note, "answers"),
                )
                if not answer.passed:
                    _hazard(check, answer, actor=actor, key=key, now=now)
    except IntegrityError:
        if key:  # the same check sent twice at once: the other request recorded it
            existing = SafetyCheck.objects.filter(checked_by=actor, client_key=key).first()
            if existing is not None:
                return existing, False
        raise
    return check, True


def _description(check: SafetyCheck, answer: ItemAnswer) -> str:
    enterprise = check.enterprise
    parts = [
        _("%(campaign)s — %(enterprise)s: %(item)s")
        % {
            "campaign": check.assignment.campaign.name,
            "enterprise": enterprise.name,
            "item": answer.item.text,
        }
    ]
    if answer.note:
        parts.append(answer.note)
    if enterprise.safety_person:
        parts.append(_("Responsible: %(person)s") % {"person": enterprise.safety_person})
    return "\n".join(parts)[: case_actions.MAX_TEXT]


def _hazard(
    check: SafetyCheck, answer: ItemAnswer, *, actor: User, key: str, now: dt.datetime
) -> Hazard:
    enterprise = check.enterprise
    case, _created = report_case(
        actor=actor,
        source=Source.SAFETY_INSPECTION,
        category=category_for(answer.item),
        description=_description(check, answer),
        grid=enterprise.grid,
        site=enterprise.site,
        address=enterprise.address,
        # The photo of a hazard fixed on the spot is the evidence of the fix.
        photos=() if answer.fixed_on_spot else answer.photos,
        fix_photos=answer.photos if answer.fixed_on_spot else (),
        client_key=f"safety:{key}:{answer.item.pk}" if key else None,
        fixed_on_spot=answer.fixed_on_spot,
        fix_note=_clean(answer.fix_note, "answers")
        or (_("Fixed on the spot.") if answer.fixed_on_spot else ""),
    )
    hazard = Hazard.objects.create(
        safety_check=check,
        enterprise=enterprise,
        item=answer.item,
        grade=answer.item.grade,
        case=case,
        found_at=check.checked_at,
    )
    if not answer.fixed_on_spot and role_of(actor) in DISPATCH_ROLES:
        dispatch(hazard, actor=actor)
    return hazard


def dispatch(hazard: Hazard, *, actor: User) -> Case:
    """Register the hazard's case and assign it (交办) to the enterprise's regulating unit (or
    the category's unit) with the item's deadline counted from when it was found. A grid
    worker's check leaves its hazards reported, for the office or an inspector to dispatch."""
    if role_of(actor) not in DISPATCH_ROLES:
        raise NotAllowed(_("Only the campaign office and inspectors dispatch hidden dangers."))
    case = hazard.case
    unit = hazard.enterprise.regulator or case.category.default_unit
    if unit is None:
        raise InvalidInput(
            _("The enterprise has no regulating unit and the category no default unit."), "unit"
        )
    if case.status != Status.REPORTED:
        raise InvalidInput(_("This hidden danger has been dispatched already."), "case")
    case = case_actions.register(case, actor=actor, expected_version=case.version)
    due_on = due_day(rectification_due_at(hazard.item, hazard.found_at))
    today = timezone.localdate()
    return case_actions.assign(
        case,
        actor=actor,
        expected_version=case.version,
        unit=unit,
        due_on=max(due_on, today),
        note=_("Hidden danger (%(grade)s) found in a safety check.")
        % {"grade": hazard.get_grade_display()},
    )
