"""The rules of visit plans (走访计划): periods, who is due, who was missed, coverage.

Plain functions over a plan, a local date and querysets, so tests call them directly.

- A period is a calendar month, quarter, half-year or year in Asia/Shanghai: a visit at 23:30
  on 30 September (local) belongs to Q3, even though it is 15:30 UTC.
- A household is *in* a plan when it is active, in the plan's region (if any) and carries every
  flag the plan asks for.
- In a period a household is *visited* when it has at least one visit in the period, and *due*
  otherwise. When a period has ended, the households it left unvisited are *missed*.
- A period counts for a plan only when the plan was active in it (active_from before its end).
- Coverage = visited / in plan, per grid and per grid worker (a household's workers are the
  grid workers assigned its grid, or the 片区 above it: civgrid.org.queries.grid_ids_for_person).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from civgrid.org.models import Person, Role
from civgrid.territory.models import Region
from civgrid.visits.models import Household, Visit, VisitPlan

MONTHS_PER_PERIOD: dict[str, int] = {
    VisitPlan.Frequency.MONTHLY: 1,
    VisitPlan.Frequency.QUARTERLY: 3,
    VisitPlan.Frequency.HALF_YEARLY: 6,
    VisitPlan.Frequency.YEARLY: 12,
}


@dataclass(frozen=True)
class Period:
    """[start, end) in local days: end is the first day of the next period."""

    frequency: str
    start: dt.date
    end: dt.date

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        months = MONTHS_PER_PERIOD[self.frequency]
        y, m = self.start.year, self.start.month
        if months == 1:
            return f"{y}-{m:02d}"
        if months == 3:
            return f"{y} Q{(m - 1) // 3 + 1}"
        if months == 6:
            return f"{y} H{(m - 1) // 6 + 1}"
        return str(y)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes: local midnight at start and at end."""
        tz = timezone.get_default_timezone()
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(self.end, dt.time.min, tzinfo=tz),
        )

    def previous(self) -> Period:
        return period_containing(self.frequency, self.start - dt.timedelta(days=1))

    def days_left(self, today: dt.date) -> int:
        """Days until the period ends, today included (1 on its last day)."""
        return (self.end - today).days


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_containing(frequency: str, day: dt.date) -> Period:
    """The calendar period of this frequency that contains the local `day`."""
    months = MONTHS_PER_PERIOD[VisitPlan.Frequency(frequency)]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    return Period(frequency, start, _add_months(start, months))


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def plan_counts_in(plan: VisitPlan, period: Period) -> bool:
    return plan.active_from < period.end


# --- households of a plan, and their visits ------------------------------------------------------


def plan_households(plan: VisitPlan, households: QuerySet[Household] | None = None) -> QuerySet:
    """The households the plan covers (within `households`, e.g. a user's scope)."""
    qs = (households if households is not None else Household.objects.all()).filter(is_active=True)
    if plan.region_id is not None:
        region = plan.region
        assert region is not None
        qs = qs.filter(grid__path__startswith=region.path)
    for flag in plan.flags:
        qs = qs.filter(**{flag: True})
    return qs


def visited_ids(households: QuerySet[Household], period: Period) -> set[int]:
    start, end = period.bounds()
    return set(
        Visit.objects.filter(
            household__in=households.values("pk"), visited_at__gte=start, visited_at__lt=end
        )
        .values_list("household_id", flat=True)
        .distinct()
    )


@dataclass
class PeriodStatus:
    """Where a plan stands in one period, for a set of households."""

    plan: VisitPlan
    period: Period
    counts: bool  # False when the plan was not yet active in the period
    household_ids: list[int] = field(default_factory=list)
    visited: set[int] = field(default_factory=set)

    @property
    def unvisited(self) -> list[int]:
        return [pk for pk in self.household_ids if pk not in self.visited]

    @property
    def total(self) -> int:
        return len(self.household_ids) if self.counts else 0

    @property
    def done(self) -> int:
        return len(self.visited) if self.counts else 0

    @property
    def coverage(self) -> float | None:
        """Share visited, 0–100; None when nothing is due."""
        return round(100 * self.done / self.total, 1) if self.total else None


def period_status(
    plan: VisitPlan, period: Period, households: QuerySet[Household] | None = None
) -> PeriodStatus:
    if not plan_counts_in(plan, period):
        return PeriodStatus(plan, period, counts=False)
    qs = plan_households(plan, households)
    # A household registered after the period ended was never due in it.
    _start, end = period.bounds()
    qs = qs.filter(created_at__lt=end)
    ids = list(qs.order_by("grid__code", "code").values_list("pk", flat=True))
    return PeriodStatus(plan, period, True, ids, visited_ids(qs, period))


def due(
    plan: VisitPlan, today: dt.date, households: QuerySet[Household] | None = None
) -> list[int]:
    """Households still to visit in the period containing `today` (ids, by grid and code)."""
    period = period_containing(plan.frequency, today)
    return period_status(plan, period, households).unvisited


def missed(
    plan: VisitPlan, today: dt.date, households: QuerySet[Household] | None = None
) -> list[int]:
    """Households the previous (ended) period left unvisited."""
    previous = period_containing(plan.frequency, today).previous()
    return period_status(plan, previous, households).unvisited


# --- coverage --------------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    key: int
    name: str
    total: int = 0
    visited: int = 0

    @property
    def due(self) -> int:
        return self.total - self.visited

    @property
    def percent(self) -> float | None:
        return round(100 * self.visited / self.total, 1) if self.total else None


def workers_by_grid(grid_ids: set[int] | None = None) -> dict[int, list[Person]]:
    """Grid workers answering for each grid: assigned the grid itself or a region above it."""
    grids = Region.objects.filter(level=Region.Level.GRID)
    if grid_ids is not None:
        grids = grids.filter(pk__in=grid_ids)
    grid_paths = list(grids.values_list("pk", "path"))
    result: dict[int, list[Person]] = defaultdict(list)
    workers = Person.objects.filter(role=Role.GRID_WORKER).prefetch_related("regions")
    for person in workers:
        paths = [r.path for r in person.regions.all()]
        for pk, path in grid_paths:
            if any(path.startswith(p) for p in paths):
                result[pk].append(person)
    return result


def coverage(
    status: PeriodStatus,
) -> tuple[list[CoverageRow], list[CoverageRow]]:
    """Coverage of one period per grid and per grid worker, lowest coverage first."""
    grid_of = dict(
        Household.objects.filter(pk__in=status.household_ids).values_list("pk", "grid_id")
    )
    grid_ids = set(grid_of.values())
    names = dict(Region.objects.filter(pk__in=grid_ids).values_list("pk", "name"))
    by_grid: dict[int, CoverageRow] = {}
    for pk in status.household_ids if status.counts else []:
        g = grid_of[pk]
        row = by_grid.setdefault(g, CoverageRow(g, names.get(g, "")))
        row.total += 1
        row.visited += pk in status.visited
    workers = workers_by_grid(grid_ids)
    by_worker: dict[int, CoverageRow] = {}
    for g, row in by_grid.items():
        for person in workers.get(g, []):
            w = by_worker.setdefault(person.pk, CoverageRow(person.pk, person.name))
            w.total += row.total
            w.visited += row.visited

    def order(r: CoverageRow) -> tuple[float, str]:
        return (r.percent if r.percent is not None else 101.0, r.name)

    return sorted(by_grid.values(), key=order), sorted(by_worker.values(), key=order)


def grid_ids_of_worker(person: Person) -> Q:
    """Households of a worker's grids, as a filter (drill-down from the coverage table)."""
    paths = [r.path for r in person.regions.all()]
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(grid__path__startswith=path)
    return query


# --- plans falling due (the scheduled job civgrid.visits.schedule) -------------------------------


@dataclass(frozen=True)
class PlanDue:
    plan: VisitPlan
    period: Period
    household_ids: list[int]


def due_plans(now: dt.datetime) -> list[PlanDue]:
    """Active plans with households still to visit in the period containing `now` (local day),
    for the notices to hand to the grid workers."""
    today = local_day(now)
    result = []
    for plan in VisitPlan.objects.filter(is_active=True, active_from__lte=today).order_by("name"):
        ids = due(plan, today)
        if ids:
            result.append(PlanDue(plan, period_containing(plan.frequency, today), ids))
    return result
