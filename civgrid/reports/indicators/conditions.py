"""The conditions of every count over Case, shared by counting and listing (see the package's
docstring for their definitions)."""

from __future__ import annotations

import contextlib
import datetime as dt
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import (
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from civgrid.cases.models import Case, CaseEvent
from civgrid.cases.queries import cases_for_user
from civgrid.cases.workflow import CLOSED_VALUES, Status
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, role_of
from civgrid.org.scope import Scope, scope_of
from civgrid.reports.aggregates import districts_by_path
from civgrid.reports.indicators.definitions import _FAMILY, GROUPS, RESIDENT_SOURCES, _check_group
from civgrid.reports.models import CaseFact
from civgrid.reports.periods import Period
from civgrid.territory.models import Region

# --- the conditions, shared by counting and listing ------------------------------------------


def _duration() -> ExpressionWrapper:
    return ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())


def _conditions(period: Period, now: dt.datetime) -> dict[str, Q]:
    """One Q per count over Case. compute() counts them, drilldown() filters by them."""
    start, end = period.start_at, period.end_at
    as_of = period.as_of(now)
    created = Q(created_at__gte=start, created_at__lt=end)
    finished = Q(status__in=list(CLOSED_VALUES), closed_at__gte=start, closed_at__lt=end)
    closed = Q(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end)
    valid = created & ~Q(status__in=[Status.REJECTED, Status.DUPLICATE])
    late_submit = Exists(
        CaseEvent.objects.filter(
            case=OuterRef("pk"), action="submit", created_at__gte=OuterRef("due_at")
        )
    )
    late_q = Q(late_submit)
    on_time = closed & (Q(due_at__isnull=True) | ~late_q)
    registered = Q(
        pk__in=CaseEvent.objects.filter(
            action="register", created_at__gte=start, created_at__lt=end
        ).values("case_id")
    )
    open_ = Q(created_at__lte=as_of) & (Q(closed_at__isnull=True) | Q(closed_at__gt=as_of))
    resident = Q(source__in=RESIDENT_SOURCES)
    rated = finished & Q(satisfaction__isnull=False)
    return {
        "reported": created,
        "registered": registered,
        "closed": closed,
        "valid_reported": valid,
        "closed_of_reported": valid & Q(status=Status.CLOSED, closed_at__lte=as_of),
        "on_time": on_time,
        "late": closed & Q(due_at__isnull=False) & late_q,
        "reworked": closed & Q(rework_count__gt=0),
        "open": open_,
        "overdue": open_ & Q(due_at__lte=as_of),
        "fixed_on_spot": closed & Q(fixed_on_spot=True),
        "replies_due": finished & resident,
        "replied": finished & resident & Q(replied_at__isnull=False),
        "rated": rated,
        "satisfied": rated & Q(satisfaction__gte=4),
        # the families, for the WHERE clause
        "@created": created,
        "@finished": finished,
        "@registered": registered,
        "@open": open_,
    }


def _as_ids(value: Any) -> list[Any]:
    values = value if isinstance(value, list | tuple | set | frozenset | QuerySet) else [value]
    return [v.pk if isinstance(v, Model) else v for v in values]


def _region_scoped(user: AnyUser | None) -> bool:
    """Whether the user's figures are their region scope (the office and inspectors: a district
    office sees its district, the city office every district), rather than their own cases."""
    return role_of(user) in (Role.OFFICE, Role.INSPECTOR)


def _scope(user: AnyUser | None) -> Scope:
    """scope_of(user), kept on the user object: a page computes a dozen figures for one reader."""
    cached = getattr(user, "_reports_scope", None)
    if cached is None:
        cached = scope_of(user)
        with contextlib.suppress(AttributeError):
            user._reports_scope = cached  # type: ignore[union-attr]
    return cached


def scoped_cases(
    *, user: AnyUser | None = None, filters: Mapping[str, Any] | None = None
) -> QuerySet[Case]:
    """The cases the figures are drawn from: the user's scope (all when no user), filtered.

    `filters` keys: unit, grid, area, district, category, source, standard (an id, a model
    object or a list of them) and region (a Region of any level: everything under it).
    """
    cases = Case.objects.all()
    if user is not None:
        cases = cases_for_user(user)
        if _region_scoped(user):
            cases = cases.filter(_scope(user).q("grid"))
    for name, value in (filters or {}).items():
        if value is None or value == "":
            continue
        if name == "region":
            cases = cases.filter(grid__path__startswith=value.path)
            continue
        _check_group(name)
        if name == "district":
            paths = Region.objects.filter(pk__in=_as_ids(value)).values_list("path", flat=True)
            cases = cases.filter(
                reduce(operator.or_, (Q(grid__path__startswith=p) for p in paths), Q(pk__in=[]))
            )
            continue
        cases = cases.filter(**{f"{GROUPS[name]}__in": _as_ids(value)})
    return cases


def scoped_facts(
    *, user: AnyUser | None = None, filters: Mapping[str, Any] | None = None
) -> QuerySet[CaseFact]:
    """The fact rows of exactly the cases scoped_cases() gives (civgrid/reports/models.py)."""
    facts = CaseFact.objects.all()
    if user is not None:
        if _region_scoped(user):
            facts = facts.filter(_scope(user).q("grid"))
        else:  # a clerk's unit, a grid worker's grids, what one reported: as the ledger says
            facts = facts.filter(case_id__in=cases_for_user(user).values("pk"))
    for name, value in (filters or {}).items():
        if value is None or value == "":
            continue
        if name == "region":
            facts = facts.filter(grid__path__startswith=value.path)
            continue
        _check_group(name)
        facts = facts.filter(**{f"{FACT_GROUPS[name]}__in": _as_ids(value)})
    return facts


def _fact_conditions(period: Period, now: dt.datetime) -> dict[str, Q]:
    """The conditions of _conditions() over the fact rows, where the event subqueries and the
    status tests are already answered (columns registered_at, late_submit, closed, …)."""
    start, end = period.start_at, period.end_at
    as_of = period.as_of(now)
    created = Q(created_at__gte=start, created_at__lt=end)
    finished = Q(finished=True, closed_at__gte=start, closed_at__lt=end)
    closed = Q(closed=True, closed_at__gte=start, closed_at__lt=end)
    valid = created & Q(valid=True)
    registered = Q(registered_at__gte=start, registered_at__lt=end)
    # The live condition with the OR outermost, so that each branch is one index range (the
    # partial casefact_open_idx, casefact_closed_idx) and the database can union them.
    open_ = Q(closed_at__isnull=True, created_at__lte=as_of) | Q(
        closed_at__gt=as_of, created_at__lte=as_of
    )
    resident = Q(source__in=RESIDENT_SOURCES)
    rated = finished & Q(satisfaction__isnull=False)
    return {
        "reported": created,
        "registered": registered,
        "closed": closed,
        "valid_reported": valid,
        "closed_of_reported": valid & Q(closed=True, closed_at__lte=as_of),
        "on_time": closed & (Q(due_at__isnull=True) | Q(late_submit=False)),
        "late": closed & Q(due_at__isnull=False, late_submit=True),
        "reworked": closed & Q(reworked=True),
        "open": open_,
        "overdue": open_ & Q(due_at__lte=as_of),
        "fixed_on_spot": closed & Q(fixed_on_spot=True),
        "replies_due": finished & resident,
        "replied": finished & resident & Q(replied=True),
        "rated": rated,
        "satisfied": rated & Q(satisfaction__gte=4),
        "@created": created,
        "@finished": finished,
        "@registered": registered,
        "@open": open_,
    }


def _district_of_grid() -> DbCase:
    """The district of a case's grid, as an expression over Case (one WHEN per district)."""
    whens = [
        When(grid__path__startswith=path, then=Value(pk))
        for path, pk in sorted(districts_by_path().items())
    ]
    return DbCase(*whens, default=Value(None), output_field=IntegerField())


@dataclass(frozen=True)
class Reader:
    """Where the figures are read: the raw ledger (LIVE) or the fact rows (AGGREGATES).

    Both answer every indicator the same way (the property test in
    tests/test_aggregates.py proves it); the dashboard, rankings and bulletins read AGGREGATES,
    the drill-down lists and the property test read LIVE.
    """

    name: str
    scoped: Callable[..., QuerySet[Any]]
    conditions: Callable[[Period, dt.datetime], dict[str, Q]]
    paths: Mapping[str, str]
    duration: Callable[[], Any]
    pk: str

    def path(self, group_by: str | None) -> str | None:
        if _check_group(group_by) is None:
            return None
        assert group_by is not None
        return self.paths[group_by]

    def grouped(self, rows: QuerySet[Any], group_by: str | None) -> QuerySet[Any]:
        """The rows ready to be grouped (the live ledger computes a case's district)."""
        if self.name == "live" and group_by == "district":
            return rows.annotate(district_=_district_of_grid())
        return rows


def _fact_duration() -> F:
    return F("duration_us")


FACT_GROUPS: dict[str, str] = {key: key for key in GROUPS}

LIVE = Reader("live", scoped_cases, _conditions, GROUPS, _duration, "pk")
AGGREGATES = Reader(
    "aggregates", scoped_facts, _fact_conditions, FACT_GROUPS, _fact_duration, "case_id"
)


def reader(live: bool) -> Reader:
    return LIVE if live else AGGREGATES


def _in_families(conds: Mapping[str, Q], counts: Iterable[str]) -> Q:
    """The cases any of `counts` may count: the OR of their families' conditions."""
    families = sorted({_FAMILY.get(k, "finished") for k in counts})
    return reduce(operator.or_, (conds[f"@{f}"] for f in families), Q(pk__in=[]))
