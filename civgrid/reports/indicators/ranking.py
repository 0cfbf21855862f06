"""Rankings: groups ordered by an indicator, best first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civgrid.org.queries import AnyUser
from civgrid.reports.indicators.conditions import (
    Reader,
    _in_families,
    reader,
)
from civgrid.reports.indicators.counting import _labels, compute
from civgrid.reports.indicators.definitions import COUNTS, INDICATORS, IndicatorError, _check_group
from civgrid.reports.indicators.rows import IndicatorRow, RankedRow
from civgrid.reports.periods import Period


def _active_groups(
    read: Reader,
    period: Period,
    by: str,
    user: AnyUser | None,
    filters: Mapping[str, Any] | None,
    now: dt.datetime,
) -> list[Any]:
    """The groups with any case in any family of the period (reported, registered, finished in
    it, or open at its end): the rows the dashboard's full computation would have."""
    where = _in_families(read.conditions(period, now), COUNTS)
    rows = read.grouped(read.scoped(user=user, filters=filters), by).filter(where).order_by()
    path = read.path(by)
    assert path is not None
    return list(rows.values_list(path, flat=True).distinct())


def rank(
    period: Period,
    by: str = "unit",
    indicator: str = "closure_rate",
    *,
    user: AnyUser | None = None,
    filters: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
    columns: Sequence[str] = (),
    live: bool = False,
) -> list[RankedRow]:
    """Groups (units, grids, areas, …) ranked by an indicator, best first.

    The rows hold `indicator` (with its numerator and denominator) and the `columns` asked
    for; other counts read 0. The groups are those with any case counted in the period (as on
    the dashboard), found by one cheap query, so a unit with no overdue case still ranks first
    on "overdue" — without computing every indicator (bench/district.py: 256 ms → ~10 ms).

    "Best" follows INDICATORS[indicator].better (a high closure rate, a low overdue count).
    Equal values share a rank and the next rank is skipped (1, 2, 2, 4); within a tie, the
    group with the larger base (denominator) comes first, then by name. Groups whose value is
    undefined (a rate over no cases) come last, unranked (rank None).
    """
    spec = INDICATORS.get(indicator)
    if spec is None:
        raise IndicatorError(_("Unknown indicator “%(k)s”.") % {"k": indicator})
    if spec.better is None:
        raise IndicatorError(_("“%(k)s” cannot be ranked.") % {"k": indicator})
    now = now or timezone.now()
    path = _check_group(by)
    if path is None:
        return []  # one row for everything: nothing to rank
    rows = compute(
        period,
        user=user,
        group_by=by,
        filters=filters,
        now=now,
        indicators=[indicator, *columns],
        live=live,
    )
    seen = {row.group for row in rows}
    read = reader(live)
    missing = [g for g in _active_groups(read, period, by, user, filters, now) if g not in seen]
    if missing:
        labels = _labels(by, missing)
        rows += [IndicatorRow(group=g, label=labels.get(g, str(g))) for g in missing]
    # Cases without a unit (or grid) yet are nobody's to rank.
    rows = sorted((r for r in rows if r.group is not None), key=lambda r: (r.label, str(r.group)))
    sign = -1 if spec.better == "high" else 1

    def base(row: IndicatorRow) -> int:
        return row.counts[spec.denominator] if spec.denominator else 0

    valued = [(row.value(indicator), row) for row in rows]
    ranked = sorted(
        (p for p in valued if p[0] is not None),
        key=lambda p: (sign * p[0], -base(p[1]), p[1].label),  # type: ignore[operator]
    )
    out: list[RankedRow] = []
    for i, (value, row) in enumerate(ranked):
        place = out[-1].rank if out and out[-1].value == value else i + 1
        out.append(RankedRow(place, value, row))
    out += [RankedRow(None, None, row) for value, row in valued if value is None]
    return out


# Counts whose condition depends on the period only through one timestamp's range: their
# trend is one query bucketed by local day, then summed into the periods.
