"""The conditions of every count over Case, shared by counting and listing (see the package's
docstring for their definitions)."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Mapping
from functools import reduce
from typing import Any

from django.db.models import (
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
)

from civgrid.cases.models import Case, CaseEvent
from civgrid.cases.queries import cases_for_user
from civgrid.cases.workflow import CLOSED_VALUES, Status
from civgrid.org.queries import AnyUser
from civgrid.reports.indicators.definitions import _FAMILY, RESIDENT_SOURCES, _check_group
from civgrid.reports.periods import Period

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


def scoped_cases(
    *, user: AnyUser | None = None, filters: Mapping[str, Any] | None = None
) -> QuerySet[Case]:
    """The cases the figures are drawn from: the user's scope (all when no user), filtered.

    `filters` keys: unit, grid, area, category, source, standard (an id, a model object or a
    list of them) and region (a Region of any level: everything under it).
    """
    cases = cases_for_user(user) if user is not None else Case.objects.all()
    for name, value in (filters or {}).items():
        if value is None or value == "":
            continue
        if name == "region":
            cases = cases.filter(grid__path__startswith=value.path)
            continue
        path = _check_group(name)
        assert path is not None
        cases = cases.filter(**{f"{path}__in": _as_ids(value)})
    return cases


def _in_families(conds: Mapping[str, Q], counts: Iterable[str]) -> Q:
    """The cases any of `counts` may count: the OR of their families' conditions."""
    families = sorted({_FAMILY.get(k, "finished") for k in counts})
    return reduce(operator.or_, (conds[f"@{f}"] for f in families), Q(pk__in=[]))
