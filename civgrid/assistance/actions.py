"""Every change to the rolls (救助名册操作): enrol, approve, end, change an account, reveal.

Each action takes a keyword-only `actor`, runs in one transaction with the enrolment locked,
checks the actor's role and scope (civgrid.assistance.queries) and raises
civgrid.cases.errors.InvalidInput / NotAllowed / IllegalTransition before anything is written,
then writes a BeneficiaryEvent (who, when, old and new values) with the change. Decisions are
two-step: the community proposes, 民政 approves — a proposal is never approved by the person
who made it, and an end reported from the field only takes effect once 民政 approves it.
Full ID and bank account numbers never go to the log or to notices.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.assistance import rules
from civgrid.assistance.models import Beneficiary, BeneficiaryEvent, EndReason, Programme
from civgrid.assistance.queries import (
    Access,
    access_to,
    civil_affairs_users,
    may_decide,
    may_propose_for,
)
from civgrid.cases.errors import IllegalTransition, InvalidInput, NotAllowed
from civgrid.lib import idnumbers
from civgrid.lib.text import text_problem
from civgrid.notices import events
from civgrid.org.queries import get_person
from civgrid.visits.models import Household

log = logging.getLogger(__name__)

S = Beneficiary.Status
K = BeneficiaryEvent.Kind
MAX_NOTE = 500
MAX_PERSONS = 20


def actor_name(actor: User | None) -> str:
    if actor is None:
        return "system"
    person = get_person(actor)
    return person.name if person else actor.get_username()


def write_event(
    beneficiary: Beneficiary,
    kind: str,
    *,
    actor: User | None,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> BeneficiaryEvent:
    return BeneficiaryEvent.objects.create(
        beneficiary=beneficiary,
        kind=kind,
        at=now,
        by=actor,
        by_name=actor_name(actor),
        note=note,
        data=data or {},
    )


def _text(value: str, field: str, *, limit: int = MAX_NOTE, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("This field is required."), field)
    if len(value) > limit:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": limit}, field)
    problem = text_problem(value)
    if problem:
        raise InvalidInput(problem, field)
    return value


def clean_account(account: str) -> str:
    """A bank account or card number: digits only (spaces allowed when typed), 12–30 long."""
    account = (account or "").replace(" ", "").replace("-", "")
    if account and (not account.isdigit() or not 12 <= len(account) <= 30):
        raise InvalidInput(_("A bank account is 12 to 30 digits."), "bank_account")
    return account


def _locked(beneficiary: Beneficiary) -> Beneficiary:
    return (
        Beneficiary.objects.select_for_update()
        .select_related("programme", "household__grid")
        .get(pk=beneficiary.pk)
    )


def _expect(beneficiary: Beneficiary, *states: str) -> None:
    if beneficiary.status not in states:
        raise IllegalTransition(
            _("Not possible while the enrolment is %(status)s.")
            % {"status": beneficiary.get_status_display()}
        )


def _notify_civil_affairs(beneficiary: Beneficiary, event: BeneficiaryEvent) -> None:
    events.notify(
        "assist_to_decide",
        civil_affairs_users(beneficiary),
        now=event.at,
        slot=f"assist:{event.pk}",
        data={
            "beneficiary": beneficiary.pk,
            "programme": beneficiary.programme.name,
            "household": beneficiary.household.code,
            "what": event.kind,
        },
    )


def _notify_proposer(beneficiary: Beneficiary, event: BeneficiaryEvent) -> None:
    events.notify(
        "assist_decided",
        [beneficiary.proposed_by],
        now=event.at,
        slot=f"assist:{event.pk}",
        data={
            "beneficiary": beneficiary.pk,
            "programme": beneficiary.programme.name,
            "household": beneficiary.household.code,
            "what": event.kind,
        },
    )


# --- enrolment ---------------------------------------------------------------------------------


def propose_enrolment(
    *,
    actor: User,
    programme: Programme,
    household: Household,
    name: str,
    id_number: str,
    applied_on: dt.date,
    starts_on: dt.date | None = None,
    persons: int = 1,
    bank_name: str = "",
    bank_account: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> Beneficiary:
    """The community (or 民政 itself) proposes a person or household for a programme (申报)."""
    now = now or timezone.now()
    if not programme.is_active:
        raise InvalidInput(_("This programme is closed."), "programme")
    if not may_propose_for(actor, programme, household):
        raise NotAllowed(_("You may not propose enrolments for this household."))
    name = _text(name, "name", limit=50, required=True)
    note = _text(note, "note")
    bank_name = _text(bank_name, "bank_name", limit=50)
    try:
        number = idnumbers.validate(id_number)
    except idnumbers.BadIdNumber as exc:
        raise InvalidInput(str(exc), "id_number") from exc
    if not 1 <= persons <= MAX_PERSONS:
        raise InvalidInput(_("Between 1 and %(n)d persons.") % {"n": MAX_PERSONS}, "persons")
    if programme.basis == Programme.Basis.PERSON and programme.kind in (
        Programme.Kind.ELDERLY,
        Programme.Kind.ORPHAN,
    ):
        persons = 1
    account = clean_account(bank_account)
    starts_on = starts_on or rules.next_month(applied_on)
    birth = idnumbers.birth_date(number)
    problems = rules.eligibility_problems(
        min_age=programme.min_age, max_age=programme.max_age, birth_on=birth, on=starts_on
    )
    if problems:
        raise InvalidInput(" ".join(problems), "id_number")
    try:
        with transaction.atomic():
            if (
                Beneficiary.objects.select_for_update()
                .filter(programme=programme, id_number=number, status__in=Beneficiary.OPEN)
                .exists()
            ):
                raise InvalidInput(
                    _("This person is already on the roll of this programme."), "id_number"
                )
            beneficiary = Beneficiary.objects.create(
                programme=programme,
                household=household,
                name=name,
                id_number=number,
                birth_on=birth,
                persons=persons,
                bank_name=bank_name,
                bank_account=account,
                status=S.PROPOSED,
                applied_on=applied_on,
                starts_on=starts_on,
                proposed_by=actor,
                created_at=now,
                updated_at=now,
            )
            event = write_event(
                beneficiary,
                K.PROPOSED,
                actor=actor,
                now=now,
                note=note,
                data={"persons": persons, "starts_on": starts_on.isoformat()},
            )
            _notify_civil_affairs(beneficiary, event)
    except IntegrityError as exc:
        # Two proposals of the same person at once: the unique constraint kept one.
        raise InvalidInput(
            _("This person is already on the roll of this programme."), "id_number"
        ) from exc
    return beneficiary


def approve_enrolment(
    beneficiary: Beneficiary, *, actor: User, note: str = "", now: dt.datetime | None = None
) -> Beneficiary:
    """民政 approves a proposal (审批): it is paid from its start month on."""
    now = now or timezone.now()
    note = _text(note, "note")
    with transaction.atomic():
        b = _locked(beneficiary)
        if not may_decide(actor, b):
            raise NotAllowed(_("Only 民政 of this programme approves enrolments."))
        _expect(b, S.PROPOSED)
        if b.proposed_by_id == actor.pk:
            raise NotAllowed(_("A proposal is approved by someone other than its proposer."))
        b.status = S.ACTIVE
        b.approved_by = actor
        b.approved_at = now
        b.updated_at = now
        b.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        event = write_event(b, K.APPROVED, actor=actor, now=now, note=note)
        _notify_proposer(b, event)
    return b


def reject_enrolment(
    beneficiary: Beneficiary, *, actor: User, reason: str, now: dt.datetime | None = None
) -> Beneficiary:
    now = now or timezone.now()
    reason = _text(reason, "reason", required=True)
    with transaction.atomic():
        b = _locked(beneficiary)
        if not may_decide(actor, b):
            raise NotAllowed(_("Only 民政 of this programme approves enrolments."))
        _expect(b, S.PROPOSED)
        b.status = S.REJECTED
        b.updated_at = now
        b.save(update_fields=["status", "updated_at"])
        event = write_event(b, K.REJECTED, actor=actor, now=now, note=reason)
        _notify_proposer(b, event)
    return b


# --- the end of a benefit -------------------------------------------------------------------------


def propose_end(
    beneficiary: Beneficiary,
    *,
    actor: User,
    reason: str,
    ends_on: dt.date,
    note: str = "",
    now: dt.datetime | None = None,
    from_check: bool = False,
) -> Beneficiary:
    """Propose the end of a benefit (提出停保) to 民政: a community, 民政 itself, or a check
    visit that found the person dead or gone (`from_check`: the visit's own action has checked
    the grid worker). Payment goes on until 民政 approves."""
    now = now or timezone.now()
    if reason not in EndReason.values:
        raise InvalidInput(_("Choose a reason."), "reason")
    note = _text(note, "note")
    with transaction.atomic():
        b = _locked(beneficiary)
        if not from_check and access_to(actor, b) not in (Access.COMMUNITY, Access.CIVIL_AFFAIRS):
            raise NotAllowed(_("You may not propose ending this benefit."))
        _expect(b, S.ACTIVE)
        if ends_on < b.starts_on:
            raise InvalidInput(_("The end is before the start of the benefit."), "ends_on")
        b.status = S.END_PROPOSED
        b.ends_on = ends_on
        b.end_reason = reason
        b.end_note = note
        b.updated_at = now
        b.save(update_fields=["status", "ends_on", "end_reason", "end_note", "updated_at"])
        event = write_event(
            b,
            K.END_PROPOSED,
            actor=actor,
            now=now,
            note=note,
            data={"reason": reason, "ends_on": ends_on.isoformat(), "from_check": from_check},
        )
        _notify_civil_affairs(b, event)
    return b


def approve_end(
    beneficiary: Beneficiary, *, actor: User, note: str = "", now: dt.datetime | None = None
) -> Beneficiary:
    """民政 approves the end (停保): nothing is paid for the months after the end date; what
    locked runs already paid for them comes back as an adjustment (payments.py)."""
    now = now or timezone.now()
    note = _text(note, "note")
    with transaction.atomic():
        b = _locked(beneficiary)
        if not may_decide(actor, b):
            raise NotAllowed(_("Only 民政 of this programme ends benefits."))
        _expect(b, S.END_PROPOSED)
        b.status = S.ENDED
        b.updated_at = now
        b.save(update_fields=["status", "updated_at"])
        event = write_event(
            b,
            K.ENDED,
            actor=actor,
            now=now,
            note=note,
            data={"reason": b.end_reason, "ends_on": b.ends_on.isoformat() if b.ends_on else ""},
        )
        _notify_proposer(b, event)
    return b


def reject_end(
    beneficiary: Beneficiary, *, actor: User, reason: str, now: dt.datetime | None = None
) -> Beneficiary:
    """民政 finds the report wrong (the person is alive and here): the benefit goes on."""
    now = now or timezone.now()
    reason = _text(reason, "reason", required=True)
    with transaction.atomic():
        b = _locked(beneficiary)
        if not may_decide(actor, b):
            raise NotAllowed(_("Only 民政 of this programme ends benefits."))
        _expect(b, S.END_PROPOSED)
        old = {"reason": b.end_reason, "ends_on": b.ends_on.isoformat() if b.ends_on else ""}
        b.status = S.ACTIVE
        b.ends_on = None
        b.end_reason = ""
        b.end_note = ""
        b.updated_at = now
        b.save(update_fields=["status", "ends_on", "end_reason", "end_note", "updated_at"])
        write_event(b, K.END_REJECTED, actor=actor, now=now, note=reason, data={"old": old})
    return b


# --- bank accounts and sensitive reads ---------------------------------------------------------------


def change_bank_account(
    beneficiary: Beneficiary,
    *,
    actor: User,
    bank_name: str,
    bank_account: str,
    now: dt.datetime | None = None,
) -> Beneficiary:
    """民政 changes where the money goes; the event keeps the old and new numbers masked."""
    now = now or timezone.now()
    bank_name = _text(bank_name, "bank_name", limit=50)
    account = clean_account(bank_account)
    with transaction.atomic():
        b = _locked(beneficiary)
        if not may_decide(actor, b):
            raise NotAllowed(_("Only 民政 of this programme changes bank accounts."))
        _expect(b, S.PROPOSED, S.ACTIVE, S.END_PROPOSED)
        if (b.bank_name, b.bank_account) == (bank_name, account):
            return b
        data = {
            "old": {"bank": b.bank_name, "account": b.masked_account},
            "new": {"bank": bank_name, "account": idnumbers.mask_account(account)},
        }
        b.bank_name = bank_name
        b.bank_account = account
        b.updated_at = now
        b.save(update_fields=["bank_name", "bank_account", "updated_at"])
        write_event(b, K.ACCOUNT_CHANGED, actor=actor, now=now, data=data)
    return b


REVEALS = {"id_number": K.VIEWED_ID, "bank_account": K.VIEWED_ACCOUNT}


def reveal(
    beneficiary: Beneficiary, what: str, *, actor: User, now: dt.datetime | None = None
) -> str:
    """The full ID or account number, for 民政 only; every read is an event."""
    if what not in REVEALS:
        raise InvalidInput(_("Nothing to show."), "what")
    if access_to(actor, beneficiary) != Access.CIVIL_AFFAIRS:
        raise NotAllowed(_("Only 民政 of this programme sees the full numbers."))
    now = now or timezone.now()
    with transaction.atomic():
        write_event(beneficiary, REVEALS[what], actor=actor, now=now)
    return str(getattr(beneficiary, what))
