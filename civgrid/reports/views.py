"""Pages of the reports app: the dashboard (驾驶舱), a figure's cases, the rankings (排名通报).

Thin views: read the period and choices from the query string, ask civgrid.reports.indicators,
render. Everything is scoped to the reader (civgrid.cases.queries.cases_for_user).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civgrid.cases.models import Source
from civgrid.org.models import Role
from civgrid.org.queries import get_person, grid_ids_for_person, role_of
from civgrid.org.scope import district_choices
from civgrid.reports import indicators as ind
from civgrid.reports.indicators import INDICATORS, IndicatorError, Period
from civgrid.reports.periods import KINDS, PeriodError
from civgrid.territory.models import Region

READERS = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER, Role.UNIT_CLERK})
PAGE_SIZE = 50

# The dashboard's tiles, in order.
TILES = (
    "reported",
    "registered",
    "closed",
    "closure_rate",
    "on_time_rate",
    "overdue",
    "rework_rate",
    "avg_hours",
    "p90_hours",
    "fixed_on_spot_rate",
    "reply_rate",
    "satisfied_rate",
)
# The city office's table of districts on the dashboard.
DISTRICT_COLUMNS = ("reported", "closed", "closure_rate", "on_time_rate", "overdue", "reply_rate")
RANK_BY = ("district", "unit", "grid", "area")


def _reader(request: HttpRequest) -> None:
    if role_of(request.user) not in READERS:
        raise PermissionDenied(_("Statistics are for the office, inspectors, leaders and units."))


def last_complete(kind: str, now: dt.datetime | None = None) -> Period:
    """The last period of this kind that has ended (on 1 December: November): what a page
    opens on, since the running one is nearly empty on its first days."""
    return Period.current(kind, now).previous()


def period_from(query: Any, now: dt.datetime | None = None) -> Period:
    """The period a query string asks for: `period=<key>`; or `kind` with the picker of that
    kind (`day`, `week` 2024-W10, `month` 2024-03, `quarter` 2024-Q1, `year`, or `start` and
    `end` for custom; `on`, a day in it, is still read); the last complete month when nothing
    is given, the last complete period of the kind when only the kind is."""
    if key := (query.get("period") or "").strip():
        return Period.parse(key)
    kind = (query.get("kind") or "month").strip()
    if kind == "custom":
        try:
            start = dt.date.fromisoformat(query.get("start") or "")
            end = dt.date.fromisoformat(query.get("end") or "")
        except ValueError as exc:
            raise PeriodError(_("Give the first and last day of the custom period.")) from exc
        return Period.parse(f"{start.isoformat()}..{end.isoformat()}")
    if kind not in KINDS:
        raise PeriodError(_("Unknown kind of period."))
    if picked := (query.get(kind) or "").strip():
        period = Period.parse(picked)
        if period.kind != kind:
            raise PeriodError(_("“%(text)s” is not a valid period.") % {"text": picked})
        return period
    if on := (query.get("on") or "").strip():
        try:
            day = dt.date.fromisoformat(on)
        except ValueError as exc:
            raise PeriodError(_("“%(text)s” is not a date.") % {"text": on}) from exc
        return Period.of(kind, day)
    return last_complete(kind, now)


def comparison(period: Period, now: dt.datetime) -> tuple[Period, dt.datetime]:
    """What a period's figures are compared with, and the `now` to read it at.

    A finished period: the one before it. A running one: the same days of the one before, up
    to the same moment (1–2 December at 10:00 against 1–2 November at 10:00, not against the
    whole of November).
    """
    previous = period.previous()
    if not period.contains(now):
        return previous, now
    elapsed = now - period.start_at
    today = timezone.localdate(now)
    end = min(previous.end, previous.start + (today - period.start))
    same_days = Period(previous.start, end, previous.kind if end == previous.end else "custom")
    return same_days, min(previous.start_at + elapsed, same_days.end_at)


def picker_context(period: Period, now: dt.datetime) -> dict[str, Any]:
    """The choices of the period picker (_period_picker.html): a month picker for months, the
    recent quarters and years in lists, a week picker, two dates for a custom period."""
    today = timezone.localdate(now)
    quarter = Period.quarter(today)
    quarters = [quarter]
    while len(quarters) < 12:
        quarters.append(quarters[-1].previous())
    years = [Period.year(dt.date(today.year - i, 1, 1)) for i in range(6)]
    own_quarter = Period.quarter(period.start)
    if own_quarter not in quarters:
        quarters.append(own_quarter)
    own_year = Period.year(period.start)
    if own_year not in years:
        years.append(own_year)
    return {
        "kinds": [
            ("day", _("Day")),
            ("week", _("Week")),
            ("month", _("Month")),
            ("quarter", _("Quarter")),
            ("year", _("Year")),
            ("custom", _("Custom")),
        ],
        "today": today,
        "week": Period.week(period.start).key(),
        "quarter": own_quarter.key(),
        "quarters": [(q.key(), q.label()) for q in quarters],
        "year": own_year.key(),
        "years": [(y.key(), y.label()) for y in years],
    }


def drill_url(period: Period, indicator: str, group_by: str | None = None, group: Any = "") -> str:
    params = {"period": period.key(), "indicator": indicator}
    if group_by:
        params["group_by"] = group_by
        params["group"] = "none" if group is None else str(group)
    return f"{reverse('reports:cases')}?{urlencode(params)}"


def parse_group(group_by: str | None, text: str | None) -> Any:
    """A group key from the query string: an id (a string for sources); "none": no value."""
    if not group_by:
        return None
    text = (text or "").strip()
    if text in ("", "none"):
        return None
    if group_by == "source":
        if text not in Source.values:
            raise IndicatorError(_("Unknown source “%(s)s”.") % {"s": text})
        return text
    if not text.isdigit():
        raise IndicatorError(_("“%(s)s” is not a group of this grouping.") % {"s": text})
    return int(text)


def _fmt(value: int | float | None, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "rate":
        return f"{value:.2f}%"
    if kind in ("hours", "score"):
        return f"{value:.1f}"
    return str(value)


def _change(spec: ind.Indicator, now_value: Any, before: Any) -> dict[str, Any] | None:
    """The change against the previous period: percentage points for a rate, the difference
    otherwise; `good` when it moves the way INDICATORS says is better."""
    if now_value is None or before is None:
        return None
    diff = now_value - before
    if spec.kind == "rate":
        text = _("%(d)+.2f pp") % {"d": diff}
    elif spec.kind == "count":
        text = f"{diff:+d}"
        if before:
            text += f" ({100 * diff / before:+.1f}%)"
    else:
        text = f"{diff:+.1f}"
    direction = "up" if diff > 0 else "down" if diff < 0 else "same"
    good = None
    if spec.better and diff:
        good = (diff > 0) == (spec.better == "high")
    return {"text": text, "direction": direction, "good": good}


def _step_for(period: Period) -> str:
    if period.days <= 62:
        return "day"
    if period.days <= 366:
        return "week"
    return "month"


def _map_grids(user: Any, rows: list[ind.IndicatorRow], period: Period) -> dict[str, Any]:
    """The grids the reader answers for (all, for the office), with open/overdue counts."""
    role = role_of(user)
    counted = {r.group: r for r in rows if r.group is not None}
    grids = Region.objects.filter(level=Region.Level.GRID, geometry__isnull=False)
    if role not in (Role.OFFICE, Role.INSPECTOR):
        person = get_person(user)
        mine = grid_ids_for_person(person) if person else set()
        grids = grids.filter(pk__in=mine | set(counted))
    features = []
    for grid in grids.select_related("parent").order_by("code"):
        row = counted.get(grid.pk)
        open_, overdue = (row.counts["open"], row.counts["overdue"]) if row else (0, 0)
        features.append(
            {
                "type": "Feature",
                "geometry": grid.geometry,
                "properties": {
                    "id": grid.pk,
                    "name": grid.name,
                    "area": grid.parent.name if grid.parent else "",
                    "open": open_,
                    "overdue": overdue,
                    "url": drill_url(period, "overdue" if overdue else "open", "grid", grid.pk),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _reader(request)
    now = timezone.now()
    try:
        period = period_from(request.GET, now)
    except PeriodError as exc:
        period, error = last_complete("month", now), str(exc)
    else:
        error = ""
    user = request.user
    previous = period.previous()
    compared, compared_now = comparison(period, now)
    current = ind.totals(period, user=user, now=now)
    before = ind.totals(compared, user=user, now=compared_now)
    tiles = []
    for key in TILES:
        spec = INDICATORS[key]
        value = current.value(key)
        tile = {
            "key": key,
            "label": spec.label,
            "help": spec.help,
            "value": _fmt(value, spec.kind),
            "previous": _fmt(before.value(key), spec.kind),
            "change": _change(spec, value, before.value(key)),
            "url": drill_url(period, key),
        }
        if spec.kind == "rate":
            assert spec.numerator and spec.denominator
            tile["fraction"] = (current.counts[spec.numerator], current.counts[spec.denominator])
            tile["base_url"] = drill_url(period, spec.denominator)
        tiles.append(tile)
    step = _step_for(period)
    series, values = ind.trends(
        (period.start, period.end, step), ["reported", "closed"], user=user, now=now
    )
    units = ind.rank(period, "unit", "closure_rate", user=user, now=now)[:20]
    sources = ind.compute(period, user=user, group_by="source", now=now, indicators=["reported"])
    categories = ind.compute(
        period, user=user, group_by="category", now=now, indicators=["reported"]
    )
    categories = sorted(categories, key=lambda r: -r.reported)[:12]
    districts = []
    if district_choices(user).count() > 1:  # the city office compares its districts
        districts = ind.compute(
            period, user=user, group_by="district", now=now, indicators=DISTRICT_COLUMNS
        )
    grid_rows = ind.compute(
        period, user=user, group_by="grid", now=now, indicators=["open", "overdue"]
    )
    charts = {
        "trend": {
            "labels": [p.start.isoformat() if step == "day" else p.key() for p in series],
            "series": [
                {"key": key, "name": str(INDICATORS[key].label), "data": values[key]}
                for key in ("reported", "closed")
            ],
            "urls": {key: [drill_url(p, key) for p in series] for key in ("reported", "closed")},
        },
        "units": {
            "name": str(INDICATORS["closure_rate"].label),
            "labels": [r.row.label for r in units],
            "data": [r.value for r in units],
            "urls": [drill_url(period, "closure_rate", "unit", r.row.group) for r in units],
        },
        "sources": {
            "name": str(INDICATORS["reported"].label),
            "data": [
                {
                    "name": r.label,
                    "value": r.reported,
                    "url": drill_url(period, "reported", "source", r.group),
                }
                for r in sources
            ],
        },
        "categories": {
            "name": str(INDICATORS["reported"].label),
            "labels": [r.label for r in categories],
            "data": [r.reported for r in categories],
            "urls": [drill_url(period, "reported", "category", r.group) for r in categories],
        },
        "labels": {"open": _("open"), "overdue": _("overdue")},
    }
    context = {
        "period": period,
        "previous": previous,
        "compared": compared,
        "error": error,
        "picker": picker_context(period, now),
        "as_of": period.as_of(now),
        "tiles": tiles,
        "charts": charts,
        "map_data": _map_grids(user, grid_rows, period),
        "tiles_conf": {
            "url": settings.CIVGRID_TILE_URL,
            "attribution": settings.CIVGRID_TILE_ATTRIBUTION,
        },
        "units": units,
        "districts": [
            {
                "label": row.label,
                "cells": [
                    {
                        "value": _fmt(row.value(k), INDICATORS[k].kind),
                        "url": drill_url(period, k, "district", row.group),
                    }
                    for k in DISTRICT_COLUMNS
                ],
            }
            for row in districts
        ],
        "district_columns": [INDICATORS[k].label for k in DISTRICT_COLUMNS],
        "prev_url": f"{reverse('reports:dashboard')}?period={previous.key()}",
        "next_url": f"{reverse('reports:dashboard')}?period={period.next().key()}",
        "rankings_url": f"{reverse('reports:rankings')}?period={period.key()}",
    }
    return render(request, "reports/dashboard.html", context, status=400 if error else 200)


@login_required
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one figure: exactly those counted, paged, each linked to its page."""
    _reader(request)
    now = timezone.now()
    indicator = request.GET.get("indicator") or "reported"
    group_by = request.GET.get("group_by") or None
    try:
        period = period_from(request.GET, now)
        group = parse_group(group_by, request.GET.get("group"))
        listed = ind.drilldown(
            period, indicator, user=request.user, group_by=group_by, group=group, now=now
        )
    except (PeriodError, IndicatorError) as exc:
        return render(request, "reports/cases.html", {"error": str(exc)}, status=400)
    spec = INDICATORS[indicator]
    listed = listed.select_related("unit", "grid", "category")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    group_label = ""
    if group_by:
        group_label = ind.label_of(group_by, group)
    base = None
    if spec.kind == "rate" and spec.denominator:
        base = {
            "label": INDICATORS[spec.denominator].label,
            "url": drill_url(period, spec.denominator, group_by, group if group_by else ""),
        }
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "period": period,
        "spec": spec,
        "indicator": indicator,
        "count": page.paginator.count,
        "page": page,
        "group_by": group_by,
        "group_label": group_label,
        "group_by_label": ind.GROUP_LABELS.get(group_by or "", ""),
        "base": base,
        "now": now,
        "query": query.urlencode(),
        "show_duration": spec.kind == "hours",
        "dashboard_url": f"{reverse('reports:dashboard')}?period={period.key()}",
    }
    return render(request, "reports/cases.html", context)


@login_required
@require_GET
def rankings(request: HttpRequest) -> HttpResponse:
    """Units and grids ranked on an indicator; the overdue and the slowest (举牌亮剑)."""
    _reader(request)
    now = timezone.now()
    by = request.GET.get("by") or "unit"
    indicator = request.GET.get("indicator") or "closure_rate"
    error = ""
    try:
        period = period_from(request.GET, now)
        if by not in RANK_BY:
            raise IndicatorError(_("Rank districts, units, grids or areas."))
        ranked = ind.rank(period, by, indicator, user=request.user, now=now)
    except (PeriodError, IndicatorError) as exc:
        error, period, ranked = str(exc), last_complete("month", now), []
        by, indicator = "unit", "closure_rate"
    spec = INDICATORS[indicator]
    sees_districts = district_choices(request.user).count() > 1
    rows = [
        {
            "rank": r.rank,
            "label": r.row.label,
            "value": _fmt(r.value, spec.kind),
            "base": r.row.counts[spec.denominator] if spec.denominator else None,
            "url": drill_url(period, indicator, by, r.row.group),
        }
        for r in ranked
    ]
    overdue = ind.overdue_list(now, user=request.user)
    context = {
        "period": period,
        "error": error,
        "by": by,
        "by_choices": [
            (k, ind.GROUP_LABELS[k]) for k in RANK_BY if k != "district" or sees_districts
        ],
        "indicator": indicator,
        "spec": spec,
        "indicator_choices": [(k, i.label) for k, i in INDICATORS.items() if i.better],
        "rows": rows,
        "base_label": INDICATORS[spec.denominator].label if spec.denominator else "",
        "overdue": overdue[:50],
        "overdue_count": overdue.count(),
        "overdue_url": drill_url(Period.current("day", now), "overdue"),
        "slowest": ind.slowest(period, user=request.user, now=now),
        "now": now,
        "dashboard_url": f"{reverse('reports:dashboard')}?period={period.key()}",
        "picker": picker_context(period, now),
        "keep": [],
    }
    return render(request, "reports/rankings.html", context, status=400 if error else 200)
