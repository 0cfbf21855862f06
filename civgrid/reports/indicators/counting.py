"""Counting: every indicator for a period, per group, in one aggregate query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import (
    Avg,
    Count,
    F,
    Q,
    QuerySet,
)
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civgrid.cases.models import Case, Source
from civgrid.org.queries import AnyUser
from civgrid.reports.indicators.conditions import Reader, _in_families, reader
from civgrid.reports.indicators.definitions import GROUPS, INDICATORS, IndicatorError, _check_group
from civgrid.reports.indicators.rows import IndicatorRow, _hours, _round2
from civgrid.reports.periods import Period
from civgrid.standards.models import Standard
from civgrid.territory.models import Region

# --- counting ------------------------------------------------------------------------------------


def _labels(group_by: str, keys: Iterable[Any]) -> dict[Any, str]:
    keys = [k for k in keys if k is not None]
    if group_by == "source":
        return {k: str(Source(k).label) if k in Source.values else str(k) for k in keys}
    model: Any
    if group_by in ("area", "district"):
        model = Region
    elif group_by == "standard":
        model = Standard
    else:
        model = Case._meta.get_field(GROUPS[group_by].split("__")[0]).related_model
    assert model is not None
    return {pk: str(obj) for pk, obj in model._default_manager.in_bulk(keys).items()}  # type: ignore[attr-defined]


def label_of(group_by: str, key: Any) -> str:
    """The name of one group, as compute() labels it ("(none)" for the group of no value)."""
    _check_group(group_by)
    if key is None:
        return str(_("(none)"))
    return _labels(group_by, [key]).get(key, str(key))


def _p90(read: Reader, rows: QuerySet[Any], closed: Q, path: str | None) -> dict[Any, float | None]:
    """P90 time to close per group, nearest rank: the value at rank ceil(0.9 n), ascending.

    ROW_NUMBER and COUNT over a window partitioned by the group; the row kept satisfies
    rank*10 >= 9n and (rank-1)*10 < 9n, i.e. rank = ceil(0.9 n), in integers only.
    """
    partition = [F(path)] if path else None
    ranked = (
        rows.filter(closed)
        .order_by()
        .annotate(
            dur=read.duration(),
            rn=Window(
                RowNumber(), partition_by=partition, order_by=[read.duration().asc(), F(read.pk)]
            ),
            n=Window(Count(read.pk), partition_by=partition),
        )
        .annotate(rn10=F("rn") * 10, n9=F("n") * 9)
        .filter(rn10__gte=F("n9"), rn10__lt=F("n9") + 10)
    )
    out: dict[Any, float | None] = {}
    for key, dur in ranked.values_list(path or read.pk, "dur"):
        out[key if path else None] = _hours(dur)
    return out


def compute(
    period: Period,
    *,
    user: AnyUser | None = None,
    group_by: str | None = None,
    filters: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
    indicators: Sequence[str] | None = None,
    live: bool = False,
) -> list[IndicatorRow]:
    """Every indicator (or those named in `indicators`) for the period, per group.

    One aggregate query (COUNT with a filter per count, AVG for the means) plus one window
    query for the P90 when it is wanted. Without `group_by` the answer is one row, group None;
    with it, one row per group that has anything to count, ordered by label. Counts not asked
    for are 0 in the rows.

    The figures are read from the fact rows kept in step with the ledger
    (civgrid/reports/aggregates.py); `live=True` reads the raw ledger instead, for the proof
    that both agree and for lists.
    """
    now = now or timezone.now()
    read = reader(live)
    path = read.path(group_by)
    wanted = set(INDICATORS if indicators is None else indicators)
    unknown = wanted - set(INDICATORS)
    if unknown:
        raise IndicatorError(_("Unknown indicator “%(k)s”.") % {"k": sorted(unknown)[0]})
    counts = set()
    for key in wanted:
        indicator = INDICATORS[key]
        if indicator.kind == "count":
            counts.add(key)
        counts.update(k for k in (indicator.numerator, indicator.denominator) if k)
    conds = read.conditions(period, now)
    cases = read.grouped(read.scoped(user=user, filters=filters), group_by)
    where = _in_families(conds, counts)
    # Named n_<count>: the fact rows have columns called closed, reworked, …
    aggregates: dict[str, Any] = {f"n_{k}": Count(read.pk, filter=conds[k]) for k in sorted(counts)}
    if "avg_hours" in wanted:
        aggregates["avg_hours"] = Avg(read.duration(), filter=conds["closed"])
    if "satisfaction_avg" in wanted:
        aggregates["satisfaction_avg"] = Avg("satisfaction", filter=conds["rated"])
    selected = cases.filter(where).order_by()
    if path is None:
        results = [{"group": None, **selected.aggregate(**aggregates)}]
    else:
        results = [
            {"group": r.pop(path), **r} for r in selected.values(path).annotate(**aggregates)
        ]
    p90 = _p90(read, cases, conds["closed"], path) if "p90_hours" in wanted else {}
    labels = _labels(group_by, (r["group"] for r in results)) if group_by else {}
    rows = []
    for r in results:
        row = IndicatorRow(group=r["group"])
        if group_by is None:
            row.label = str(_("All"))
        else:
            row.label = labels.get(r["group"], str(r["group"])) if r["group"] is not None else ""
            row.label = row.label or str(_("(none)"))
        for key in counts:
            row.counts[key] = r[f"n_{key}"]
        row.avg_hours = _round2(_hours(r.get("avg_hours")))
        row.p90_hours = _round2(p90.get(r["group"]))
        sat = r.get("satisfaction_avg")
        row.satisfaction_avg = _round2(float(sat)) if sat is not None else None
        rows.append(row)
    if group_by is not None:
        rows = [r for r in rows if any(r.counts.values())]
        rows.sort(key=lambda r: (r.group is None, r.label, str(r.group)))
    return rows


def totals(
    period: Period,
    *,
    user: AnyUser | None = None,
    filters: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
    live: bool = False,
) -> IndicatorRow:
    """The one row of compute() without grouping."""
    return compute(period, user=user, filters=filters, now=now, live=live)[0]
