"""The only way to fetch work logs a user may see, and their sums for a period.

- campaign office, inspectors, responsible leaders: the logs of every unit that works in their
  region scope (a district's units and the city's; the city office every unit), read;
- unit clerk: their own unit's logs;
- everyone else: none.
Entering: the office for any unit, a clerk for their own unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from civgrid.org.models import Role, Unit
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.org.scope import Scope, scope_of
from civgrid.reports.periods import Period
from civgrid.worklogs.models import FIGURES, ActivityKind, WorkLog

READERS = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER})


def worklogs_for_user(user: AnyUser | None) -> QuerySet[WorkLog]:
    """Every entry the user may read, superseded ones included (the record)."""
    role = role_of(user)
    logs = WorkLog.objects.all()
    if role in READERS:
        scope = scope_of(user)
        if scope.is_everything or role == Role.LEADER:
            return logs if scope.is_everything else logs.filter(unit__in=_leader_units(scope))
        return logs.filter(unit__in=scope.units())
    if role == Role.UNIT_CLERK:
        person = get_person(user)
        if person is not None and person.unit_id is not None:
            return logs.filter(unit_id=person.unit_id)
    return logs.none()


def current(logs: QuerySet[WorkLog]) -> QuerySet[WorkLog]:
    """The entries that count: those no correction has replaced."""
    return logs.filter(correction__isnull=True)


def get_worklog_for_user(user: AnyUser | None, pk: int | str) -> WorkLog:
    try:
        return worklogs_for_user(user).select_related("unit", "corrects").get(pk=int(pk))
    except (WorkLog.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such work log entry.")) from exc


def may_read(user: AnyUser | None) -> bool:
    return role_of(user) in READERS | {Role.UNIT_CLERK}


def units_for_entry(user: AnyUser | None) -> QuerySet[Unit]:
    """The units the user may enter work for."""
    role = role_of(user)
    if role == Role.OFFICE:
        return scope_of(user).units().filter(is_active=True)
    if role == Role.UNIT_CLERK:
        person = get_person(user)
        if person is not None and person.unit_id is not None:
            return Unit.objects.filter(pk=person.unit_id)
    return Unit.objects.none()


def _leader_units(scope: Scope) -> QuerySet[Unit]:
    """A leader's scope is their grids: the units of the districts those grids lie in."""
    districts = [r.district() for r in scope.roots()]
    return Scope.of_regions([d for d in districts if d is not None]).units()


def may_enter_for(user: AnyUser | None, unit: Unit) -> bool:
    role = role_of(user)
    if role == Role.OFFICE:
        return scope_of(user).covers_unit(unit)
    if role == Role.UNIT_CLERK:
        person = get_person(user)
        return person is not None and person.unit_id == unit.pk
    return False


def in_period(logs: QuerySet[WorkLog], period: Period) -> QuerySet[WorkLog]:
    """Entries of the period's days, both ends included."""
    return logs.filter(worked_on__gte=period.start, worked_on__lte=period.end)


def _sums() -> dict[str, Any]:
    sums: dict[str, Any] = {}
    for name in FIGURES:
        if name == "volume_removed":
            zero: Any = Value(
                Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2)
            )
        else:
            zero = Value(0, output_field=IntegerField())
        sums[name] = Coalesce(Sum(name), zero)
    return sums


@dataclass(frozen=True)
class Totals:
    """The sums of the five figures over some entries, and how many entries they came from."""

    entries: int
    person_times: int
    machine_times: int
    volume_removed: Decimal
    items_installed: int
    activities_held: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Totals:
        return cls(
            entries=int(row.get("entries") or 0),
            person_times=int(row["person_times"]),
            machine_times=int(row["machine_times"]),
            volume_removed=Decimal(row["volume_removed"]).quantize(Decimal("0.01")),
            items_installed=int(row["items_installed"]),
            activities_held=int(row["activities_held"]),
        )


def totals(logs: QuerySet[WorkLog], period: Period) -> Totals:
    """The period's sums over the current entries of `logs` (already scoped)."""
    row = current(in_period(logs, period)).aggregate(entries=Count("id"), **_sums())
    return Totals.from_row(row)


def totals_by(logs: QuerySet[WorkLog], period: Period, by: str) -> list[tuple[Any, Totals]]:
    """The period's sums per unit (`by="unit"`: (Unit, Totals)) or per kind (`by="kind"`:
    (kind value, Totals)), largest person-times first."""
    if by not in ("unit", "kind"):
        raise ValueError(by)
    key = "unit_id" if by == "unit" else "kind"
    rows = list(
        current(in_period(logs, period))
        .order_by()
        .values(key)
        .annotate(entries=Count("id"), **_sums())
        .order_by("-person_times", key)
    )
    if by == "unit":
        units = Unit.objects.in_bulk([row["unit_id"] for row in rows])
        return [(units[row["unit_id"]], Totals.from_row(row)) for row in rows]
    labels = dict(ActivityKind.choices)
    return [(row["kind"], Totals.from_row(row)) for row in rows if row["kind"] in labels]
