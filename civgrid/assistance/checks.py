"""Check visits (核查走访): the visit plan made from the roll, and what a visit reports.

- Each programme says how often a beneficiary must be seen (`Programme.check_frequency`,
  高龄 quarterly). The plan is the roll itself: every *active* enrolment of such a programme is
  due in each calendar period (civgrid.visits.plans periods, Asia/Shanghai) until a check visit
  in the period saw the person at home (`CheckVisit.SEEN`). Nobody keeps a second list.
- A check visit is a visit of civgrid.visits (logged through `visits.actions.log_visit`, with
  its idempotency key, so a phone resending it records it once) plus the outcome. Death or a
  move proposes the end of the benefit to 民政 (`actions.propose_end`), never ends it: 民政
  approves, and payment goes on meanwhile.
- Before a payment run, the enrolments not seen in the last *ended* period (and enrolled for
  the whole of it) are listed (`not_seen`).
- Grid workers see which households need a check and whom to see there — never an amount,
  an ID or an account (`DueCheck`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.assistance.actions import _text, propose_end, write_event
from civgrid.assistance.models import (
    Beneficiary,
    BeneficiaryEvent,
    CheckVisit,
    EndReason,
    PaymentRun,
)
from civgrid.cases.errors import InvalidInput, NotAllowed
from civgrid.org.models import Person, Role
from civgrid.org.queries import AnyUser, role_of
from civgrid.org.scope import scope_of
from civgrid.visits import plans
from civgrid.visits.actions import log_visit
from civgrid.visits.queries import households_for_user

CHECK_ROLES = frozenset({Role.GRID_WORKER, Role.OFFICE})
END_FOR: dict[str, str] = {
    CheckVisit.Outcome.DIED: EndReason.DIED,
    CheckVisit.Outcome.MOVED_OUT: EndReason.MOVED_OUT,
}
MAX_CONDITIONS = 2000


@dataclass(frozen=True)
class DueCheck:
    """A household to visit for the roll: whom to see there, by when. Nothing else."""

    beneficiary_id: int
    household_id: int
    household_code: str
    address: str
    grid_id: int
    person: str
    programme: str
    period: plans.Period


def checkable(user: AnyUser | None) -> QuerySet[Beneficiary]:
    """Enrolments to check that the user may visit: grid workers in their grids, the office in
    its scope; open enrolments of programmes with a check frequency."""
    if role_of(user) not in CHECK_ROLES:
        return Beneficiary.objects.none()
    households = households_for_user(user).filter(scope_of(user).q("grid"))
    return Beneficiary.objects.filter(
        household__in=households.values("pk"),
        status__in=(Beneficiary.Status.ACTIVE, Beneficiary.Status.END_PROPOSED),
    ).exclude(programme__check_frequency="")


def get_checkable_for_user(user: AnyUser | None, pk: int | str) -> Beneficiary:
    try:
        return checkable(user).select_related("programme", "household").get(pk=int(pk))
    except (Beneficiary.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such check.")) from exc


def _seen_ids(beneficiaries: QuerySet[Beneficiary], period: plans.Period) -> set[int]:
    start, end = period.bounds()
    return set(
        CheckVisit.objects.filter(
            beneficiary__in=beneficiaries.values("pk"),
            outcome__in=CheckVisit.SEEN,
            visited_at__gte=start,
            visited_at__lt=end,
        ).values_list("beneficiary_id", flat=True)
    )


def due(beneficiaries: QuerySet[Beneficiary], today: dt.date) -> list[DueCheck]:
    """Active enrolments not yet seen in the period of their programme containing `today`."""
    result: list[DueCheck] = []
    frequencies = (
        beneficiaries.values_list("programme__check_frequency", flat=True).distinct().order_by()
    )
    for frequency in sorted(set(frequencies)):
        period = plans.period_containing(frequency, today)
        group = beneficiaries.filter(
            programme__check_frequency=frequency,
            status=Beneficiary.Status.ACTIVE,
            starts_on__lt=period.end,
        )
        seen = _seen_ids(group, period)
        for b in group.select_related("programme", "household").order_by(
            "household__grid__code", "household__code", "name"
        ):
            if b.pk not in seen:
                result.append(
                    DueCheck(
                        b.pk,
                        b.household_id,
                        b.household.code,
                        b.household.address,
                        b.household.grid_id,
                        b.name,
                        b.programme.name,
                        period,
                    )
                )
    return result


def not_seen(run: PaymentRun) -> list[Beneficiary]:
    """Before paying `run`: enrolments of its programme and district, active for the whole of
    the last ended check period, that no check visit saw in it."""
    frequency = run.programme.check_frequency
    if not frequency:
        return []
    period = plans.period_containing(frequency, run.month - dt.timedelta(days=1))
    group = Beneficiary.objects.filter(
        programme=run.programme,
        household__grid__path__startswith=run.district.path,
        status__in=(Beneficiary.Status.ACTIVE, Beneficiary.Status.END_PROPOSED),
        starts_on__lte=period.start,
    )
    seen = _seen_ids(group, period)
    return [
        b
        for b in group.select_related("household").order_by("household__code", "name")
        if b.pk not in seen
    ]


def record_check(
    *,
    actor: User,
    beneficiary: Beneficiary,
    outcome: str,
    conditions: str = "",
    happened_on: dt.date | None = None,
    visited_at: dt.datetime | None = None,
    client_key: str | None = None,
) -> tuple[CheckVisit, bool]:
    """Record a check visit; returns (check, created). A death or a move proposes the end."""
    key = (client_key or "").strip()
    if key:
        existing = CheckVisit.objects.filter(visit__visited_by=actor, visit__client_key=key).first()
        if existing is not None:
            return existing, False
    if outcome not in CheckVisit.Outcome.values:
        raise InvalidInput(_("Choose what the visit found."), "outcome")
    conditions = _text(conditions, "conditions", limit=MAX_CONDITIONS)
    if not checkable(actor).filter(pk=beneficiary.pk).exists():
        raise NotAllowed(_("This household is not yours to check."))
    now = timezone.now()
    with transaction.atomic():
        visit, created = log_visit(
            actor=actor,
            household=beneficiary.household,
            notes=conditions,
            visited_at=visited_at,
            client_key=key or None,
        )
        if not created:  # the same key sent at once by two requests
            return CheckVisit.objects.get(visit=visit), False
        day = timezone.localtime(visit.visited_at).date()
        if outcome in END_FOR:
            happened_on = happened_on or day
            if happened_on > day:
                raise InvalidInput(_("The date is after the visit."), "happened_on")
        else:
            happened_on = None
        check = CheckVisit.objects.create(
            beneficiary=beneficiary,
            visit=visit,
            outcome=outcome,
            conditions=conditions,
            happened_on=happened_on,
            visited_at=visit.visited_at,
        )
        write_event(
            beneficiary,
            BeneficiaryEvent.Kind.CHECKED,
            actor=actor,
            now=now,
            data={"outcome": outcome, "visit": visit.pk},
        )
        beneficiary.refresh_from_db(fields=["status"])
        if outcome in END_FOR and beneficiary.status == Beneficiary.Status.ACTIVE:
            assert happened_on is not None
            propose_end(
                beneficiary,
                actor=actor,
                reason=END_FOR[outcome],
                ends_on=happened_on,
                note=conditions[:500],
                now=now,
                from_check=True,
            )
    return check, True


# --- reminders (the scheduled job civgrid.assistance.schedule) ---------------------------------


def due_by_worker(today: dt.date) -> dict[Person, list[DueCheck]]:
    """Every grid worker's due checks (for the reminder)."""
    everything = Beneficiary.objects.exclude(programme__check_frequency="")
    items = due(everything, today)
    by_grid: dict[int, list[DueCheck]] = defaultdict(list)
    for item in items:
        by_grid[item.grid_id].append(item)
    result: dict[Person, list[DueCheck]] = defaultdict(list)
    for grid_id, workers in plans.workers_by_grid(set(by_grid)).items():
        for worker in workers:
            result[worker].extend(by_grid[grid_id])
    return result
