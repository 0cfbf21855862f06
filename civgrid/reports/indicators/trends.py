"""Trends: an indicator over a series of periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import (
    Count,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civgrid.org.queries import AnyUser
from civgrid.reports.indicators.conditions import Reader, reader
from civgrid.reports.indicators.counting import compute
from civgrid.reports.indicators.definitions import INDICATORS, IndicatorError
from civgrid.reports.indicators.rows import percent
from civgrid.reports.periods import Period, periods_between

_BUCKETED = {
    "reported": "created_at",
    "valid_reported": "created_at",
    **{
        k: "closed_at"
        for k in (
            "closed",
            "on_time",
            "late",
            "reworked",
            "fixed_on_spot",
            "replies_due",
            "replied",
            "rated",
            "satisfied",
        )
    },
}


def _series(
    periods: Sequence[Period] | tuple[dt.date, dt.date, str],
) -> list[Period]:
    if (
        isinstance(periods, tuple)
        and len(periods) == 3
        and isinstance(periods[2], str)
        and isinstance(periods[0], dt.date)
    ):
        start, end, step = periods
        return periods_between(start, end, step)  # type: ignore[arg-type]
    return list(periods)  # type: ignore[arg-type]


def _daily(
    series: list[Period],
    key: str,
    *,
    user: AnyUser | None,
    filters: Mapping[str, Any] | None,
    now: dt.datetime,
    read: Reader,
) -> list[int]:
    span = Period.custom(min(p.start for p in series), max(p.end for p in series))
    stamp = _BUCKETED[key]
    by_day = dict(
        read.scoped(user=user, filters=filters)
        .filter(read.conditions(span, now)[key])
        .annotate(day=TruncDate(stamp, tzinfo=timezone.get_default_timezone()))
        .order_by()
        .values("day")
        .annotate(n=Count(read.pk))
        .values_list("day", "n")
    )
    return [sum(n for day, n in by_day.items() if p.start <= day <= p.end) for p in series]


def trends(
    periods: Sequence[Period] | tuple[dt.date, dt.date, str],
    indicators: Sequence[str],
    *,
    user: AnyUser | None = None,
    filters: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
    live: bool = False,
) -> tuple[list[Period], dict[str, list[int | float | None]]]:
    """Several indicators over the same periods: (periods, {indicator: values})."""
    now = now or timezone.now()
    read = reader(live)
    series = _series(periods)
    for key in indicators:
        if key not in INDICATORS:
            raise IndicatorError(_("Unknown indicator “%(k)s”.") % {"k": key})
    out: dict[str, list[int | float | None]] = {}
    daily: dict[str, list[int]] = {}

    def counts_of(key: str) -> list[int]:
        if key not in daily:
            daily[key] = _daily(series, key, user=user, filters=filters, now=now, read=read)
        return daily[key]

    rest = []
    for key in indicators:
        spec = INDICATORS[key]
        if spec.kind == "count" and key in _BUCKETED:
            out[key] = list(counts_of(key))
        elif spec.kind == "rate" and {spec.numerator, spec.denominator} <= set(_BUCKETED):
            assert spec.numerator and spec.denominator
            out[key] = [
                percent(n, d)
                for n, d in zip(counts_of(spec.numerator), counts_of(spec.denominator), strict=True)
            ]
        else:
            rest.append(key)
    if rest:
        # Snapshots (open, overdue, the closure cohort) and measures: one query per period.
        rows = [
            compute(p, user=user, filters=filters, now=now, indicators=rest, live=live)[0]
            for p in series
        ]
        for key in rest:
            out[key] = [row.value(key) for row in rows]
    return series, {key: out[key] for key in indicators}


def trend(
    periods: Sequence[Period] | tuple[dt.date, dt.date, str],
    indicator: str,
    *,
    user: AnyUser | None = None,
    filters: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
    live: bool = False,
) -> list[tuple[Period, int | float | None]]:
    """The indicator for each period: a list of periods, or (first day, last day, step) with
    step day/week/month/quarter/year.

    Counts dated by one timestamp (reported, closed, …) and the rates between them take one
    query bucketed by local day; snapshots and measures take one aggregate query per period.
    """
    series, values = trends(periods, [indicator], user=user, filters=filters, now=now, live=live)
    return list(zip(series, values[indicator], strict=True))
