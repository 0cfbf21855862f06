"""Every change to households and visits (走访操作).

Each action takes a keyword-only `actor`, runs in one transaction and raises
civgrid.cases.actions.InvalidInput / NotAllowed (the API's common error body) before anything
is written. Problems raised in a visit go on the ledger through
civgrid.cases.reporting.report_case (source: home visit), in the same transaction as the visit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases.actions import InvalidInput, NotAllowed
from civgrid.cases.models import Category, Source, Urgency
from civgrid.cases.photos import PhotoInput
from civgrid.cases.reporting import MAX_CLIENT_KEY, report_case
from civgrid.lib.importing import ImportOutcome
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.visits.imports import HouseholdRow, Problem, load_workbook, validate_households
from civgrid.visits.models import Household, Visit
from civgrid.visits.queries import households_for_user

log = logging.getLogger(__name__)

MAX_NOTES = 2000
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=10)
# How far back a visit may be recorded (a worker catching up after a week offline is normal).
MAX_BACKDATE = dt.timedelta(days=92)
LOG_VISIT_ROLES = frozenset({Role.GRID_WORKER, Role.OFFICE})


@dataclass(frozen=True)
class ProblemInput:
    """A problem raised during a visit (走访发现问题), to be put on the ledger."""

    category: Category
    description: str
    urgency: str = Urgency.NORMAL
    photos: Sequence[PhotoInput] = ()
    fixed_on_spot: bool = False
    fix_note: str = ""


def log_visit(
    *,
    actor: User,
    household: Household,
    notes: str = "",
    visited_at: dt.datetime | None = None,
    problems: Iterable[ProblemInput] = (),
    client_key: str | None = None,
) -> tuple[Visit, bool]:
    """Record a visit to a household; returns (visit, created).

    `client_key` makes it idempotent per user: a phone resending the same visit after a lost
    connection gets the visit (and the cases) created the first time.
    """
    key = (client_key or "").strip()
    if len(key) > MAX_CLIENT_KEY:
        raise InvalidInput(
            _("The client key is too long (at most %(n)d characters).") % {"n": MAX_CLIENT_KEY},
            "client_key",
        )
    if key:
        existing = Visit.objects.filter(visited_by=actor, client_key=key).first()
        if existing is not None:
            return existing, False
    if role_of(actor) not in LOG_VISIT_ROLES:
        raise NotAllowed(_("Only grid workers and the campaign office record visits."))
    if not households_for_user(actor).filter(pk=household.pk).exists():
        raise NotAllowed(_("This household is outside your grids."))
    if not household.is_active:
        raise InvalidInput(_("This household is no longer active."), "household")
    now = timezone.now()
    when = visited_at or now
    if timezone.is_naive(when):
        when = timezone.make_aware(when, timezone.get_default_timezone())
    if when > now + CLOCK_SKEW:
        raise InvalidInput(_("The visit time is in the future."), "visited_at")
    if when < now - MAX_BACKDATE:
        raise InvalidInput(
            _("A visit can be recorded at most %(n)d days afterwards.") % {"n": MAX_BACKDATE.days},
            "visited_at",
        )
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise InvalidInput(
            _("The notes are too long (at most %(n)d characters).") % {"n": MAX_NOTES}, "notes"
        )
    problems = list(problems)
    person = get_person(actor)
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                household=household,
                visited_by=actor,
                visitor_name=person.name if person else actor.get_username(),
                visited_at=when,
                notes=notes,
                client_key=key,
                created_at=now,
            )
            for i, problem in enumerate(problems):
                case, _created = report_case(
                    actor=actor,
                    source=Source.HOME_VISIT,
                    category=problem.category,
                    description=problem.description,
                    urgency=problem.urgency,
                    address=household.address,
                    grid=household.grid,
                    photos=problem.photos,
                    fixed_on_spot=problem.fixed_on_spot,
                    fix_note=problem.fix_note,
                    client_key=f"visit:{key}:{i}" if key else None,
                )
                visit.cases.add(case)
    except IntegrityError:
        # The same visit sent twice at once: the other request created it.
        if key:
            existing = Visit.objects.filter(visited_by=actor, client_key=key).first()
            if existing is not None:
                return existing, False
        raise
    return visit, True


# --- importing households ----------------------------------------------------------------------


@dataclass
class HouseholdImportResult(ImportOutcome):
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def import_households(
    data: bytes | Any, *, actor: AnyUser | None, dry_run: bool = False
) -> HouseholdImportResult:
    """Create or update households from a workbook (住户导入), matched by 户编码.

    All or nothing: every row is checked first; with any error nothing is written and the
    result lists every problem by row.
    """
    if isinstance(data, bytes | bytearray):
        workbook, problem = load_workbook(bytes(data))
        if problem is not None:
            return HouseholdImportResult(problems=[problem], dry_run=dry_run)
    else:
        workbook = data
    from civgrid.org.scope import scope_of

    rows, problems = validate_households(workbook, scope_of(actor) if actor is not None else None)
    result = HouseholdImportResult(problems=problems, dry_run=dry_run)
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _write(rows, result)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        result.problems.append(
            Problem(None, "", "", _("The database refused the import: %(error)s") % {"error": exc})
        )
        return result
    if not dry_run:
        log.info(
            "households imported by %s: %d created, %d updated",
            actor.get_username() if actor else "command line",
            len(result.created),
            len(result.updated),
        )
    return result


def _write(rows: list[HouseholdRow], result: HouseholdImportResult) -> None:
    now = timezone.now()
    existing = {
        h.code: h
        for h in Household.objects.select_for_update().filter(code__in=[r.code for r in rows])
    }
    fields = ["grid_id", "address", "head_name", "phone", "residents_count", *HouseholdRow.FLAGS]
    new: list[Household] = []
    changed: list[Household] = []
    for row in rows:
        values = row.values()
        household = existing.get(row.code)
        if household is None:
            new.append(Household(code=row.code, created_at=now, updated_at=now, **values))
            result.created.append(row.code)
            continue
        if any(getattr(household, k) != v for k, v in values.items()) or not household.is_active:
            for k, v in values.items():
                setattr(household, k, v)
            household.is_active = True
            household.updated_at = now
            changed.append(household)
            result.updated.append(row.code)
    Household.objects.bulk_create(new, batch_size=500)
    Household.objects.bulk_update(changed, [*fields, "is_active", "updated_at"], batch_size=500)
