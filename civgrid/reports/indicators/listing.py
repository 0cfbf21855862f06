"""Listing what was counted: the cases behind each figure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import (
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civgrid.cases.models import Case
from civgrid.cases.queries import overdue_q
from civgrid.org.queries import AnyUser
from civgrid.reports.indicators.conditions import LIVE, _conditions, _duration, scoped_cases
from civgrid.reports.indicators.definitions import INDICATORS, IndicatorError
from civgrid.reports.periods import Period

# --- listing what was counted --------------------------------------------------------------


def drilldown(
    period: Period,
    indicator: str,
    *,
    user: AnyUser | None = None,
    group_by: str | None = None,
    group: Any = None,
    filters: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Case]:
    """Exactly the cases counted in the figure `indicator` (of `group` when `group_by` is given).

    A count lists its cases; a rate lists its numerator's cases (its denominator is the
    indicator named in INDICATORS[key].denominator); a time or score measure lists the cases
    it averages, slowest or lowest first. `group` None with a `group_by` means the cases with
    no value there (no unit yet, …).
    """
    now = now or timezone.now()
    spec = INDICATORS.get(indicator)
    if spec is None:
        raise IndicatorError(_("Unknown indicator “%(k)s”.") % {"k": indicator})
    path = LIVE.path(group_by)
    key = spec.key if spec.kind == "count" else (spec.numerator or spec.denominator)
    assert key is not None
    cases = LIVE.grouped(scoped_cases(user=user, filters=filters), group_by)
    cases = cases.filter(_conditions(period, now)[key])
    if path is not None:
        cases = cases.filter(**({f"{path}__isnull": True} if group is None else {path: group}))
    if spec.kind == "hours":
        return cases.annotate(duration=_duration()).order_by("-duration", "-pk")
    if spec.kind == "score":
        return cases.order_by("satisfaction", "-pk")
    return cases.order_by("-created_at", "-pk")


def overdue_list(
    now: dt.datetime | None = None,
    *,
    user: AnyUser | None = None,
    filters: Mapping[str, Any] | None = None,
) -> QuerySet[Case]:
    """Cases overdue now (超期), the longest overdue first (the same test as the ledger's)."""
    now = now or timezone.now()
    return (
        scoped_cases(user=user, filters=filters)
        .filter(overdue_q(now))
        .select_related("unit", "grid", "category")
        .order_by("due_at", "pk")
    )


def slowest(
    period: Period,
    *,
    user: AnyUser | None = None,
    filters: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
    limit: int = 20,
) -> QuerySet[Case]:
    """举牌亮剑: the cases closed in the period that took longest, with `duration`."""
    return drilldown(period, "avg_hours", user=user, filters=filters, now=now).select_related(
        "unit", "grid", "category"
    )[:limit]
