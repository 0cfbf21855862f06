"""The campaign's indicators (统计指标), counted by the database, for any period and grouping.

Every figure the office prints comes from here, and every figure can be listed case by case:
`compute` counts with one aggregate query (COUNT … FILTER / CASE WHEN per indicator), and
`drilldown` filters the same cases with the very same conditions, so a list always holds
exactly the cases behind its figure. The definitions are written out in docs/indicators.md;
in short, for a period P = [local midnight of the first day, local midnight after the last):

counts
    reported            created_at in P (every source, every outcome)
    registered          the case's register event (立案; there is at most one) in P
    closed              status closed (销号) and closed_at in P — rejected and duplicate
                        cases are not "closed"; a case closes once (no transition reopens
                        a closed case), so it counts in exactly one period
    valid_reported      reported in P and not rejected or merged as duplicate
    closed_of_reported  valid_reported and closed (销号) by the as-of moment
    on_time             closed, and its fix was submitted before the deadline (see below)
    late                closed and not on time
    reworked            closed with at least one failed verification (返工)
    open                reported by the as-of moment and not closed/rejected/duplicate then
    overdue             open at the as-of moment with a deadline at or before it
    fixed_on_spot       closed by a fix on the spot (现场整改)
    replies_due         resident or hotline cases finished (closed, rejected or duplicate)
                        in P: each is owed an answer (件件有回音)
    replied             replies_due with a reply recorded
    rated               finished in P with a satisfaction score
    satisfied           rated 4 or 5
rates (percent, two decimals; None when the base is empty)
    closure_rate        closed_of_reported / valid_reported (cohort of the period)
    on_time_rate        on_time / closed
    rework_rate         reworked / closed
    fixed_on_spot_rate  fixed_on_spot / closed
    reply_rate          replied / replies_due
    satisfied_rate      satisfied / rated
measures
    avg_hours, p90_hours    closed_at − created_at of the closed, in hours; P90 by the
                            nearest-rank method (= PostgreSQL percentile_disc(0.9)), computed
                            with ROW_NUMBER/COUNT window functions so SQLite gives the same
    satisfaction_avg        mean score of the rated

The as-of moment is the last instant of the period, or `now` while it runs (Period.as_of).

On time is judged at submission, not at verification: a unit that submitted its fix before
the deadline is not blamed for the days the inspector took to verify it. Precisely, a closed
case is on time unless one of its submit events (处置反馈) happened at or after its deadline
— the same test as the submit event's `overdue` flag, and the last submission is the one
that counts because a later submission is always later. A case with no deadline (fixed on
the spot) is on time.

Cases are counted by their current unit, grid, category and source (a case returned and
re-assigned counts for the unit that has it now); a past period's open and overdue counts use
the current deadline (an extension granted later is taken as if it had been granted then).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from typing import Any, Literal

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civgrid.cases.models import Case, CaseEvent, Source
from civgrid.cases.queries import cases_for_user, overdue_q
from civgrid.cases.workflow import CLOSED_VALUES, Status
from civgrid.org.queries import AnyUser
from civgrid.reports.periods import Period, PeriodError, periods_between
from civgrid.standards.models import Standard

__all__ = [
    "COUNTS",
    "GROUPS",
    "INDICATORS",
    "Indicator",
    "IndicatorError",
    "IndicatorRow",
    "Period",
    "PeriodError",
    "RankedRow",
    "compute",
    "drilldown",
    "overdue_list",
    "rank",
    "slowest",
    "totals",
    "trend",
    "trends",
]

RESIDENT_SOURCES = (Source.RESIDENT.value, Source.HOTLINE.value)


class IndicatorError(ValueError):
    """An unknown indicator, grouping or filter; the message is for the user."""


# --- what can be counted -------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Promise
    kind: Literal["count", "rate", "hours", "score"]
    # For a rate: the counts it divides. For a measure: the count of the cases it is over.
    numerator: str | None = None
    denominator: str | None = None
    # Which way is better, for rankings: "high", "low", or None (not rankable).
    better: Literal["high", "low"] | None = None
    help: Promise | str = ""


def _i(*args: Any, **kw: Any) -> Indicator:
    return Indicator(*args, **kw)


INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in [
        _i(
            "reported",
            _("Reported (上报)"),
            "count",
            help=_("Cases reported in the period, whatever became of them."),
        ),
        _i(
            "registered",
            _("Registered (立案)"),
            "count",
            help=_("Cases registered onto the ledger in the period."),
        ),
        _i(
            "closed",
            _("Closed (销号)"),
            "count",
            better="high",
            help=_("Cases verified and crossed off in the period."),
        ),
        _i(
            "valid_reported",
            _("Valid reports"),
            "count",
            help=_("Cases reported in the period, less those rejected or merged as duplicates."),
        ),
        _i(
            "closed_of_reported",
            _("Closed of those reported"),
            "count",
            help=_("Valid reports of the period that were closed by its end (or by now)."),
        ),
        _i("on_time", _("Closed on time"), "count", better="high"),
        _i("late", _("Closed late"), "count", better="low"),
        _i("reworked", _("Reworked (返工)"), "count", better="low"),
        _i(
            "open",
            _("Open"),
            "count",
            better="low",
            help=_("Cases not yet closed at the end of the period (or now)."),
        ),
        _i(
            "overdue",
            _("Overdue (超期)"),
            "count",
            better="low",
            help=_("Open cases past their deadline at the end of the period (or now)."),
        ),
        _i("fixed_on_spot", _("Fixed on the spot (现场整改)"), "count", better="high"),
        _i(
            "replies_due",
            _("Resident cases finished"),
            "count",
            help=_("Resident and hotline cases closed, rejected or merged in the period."),
        ),
        _i("replied", _("Replied (已答复)"), "count", better="high"),
        _i("rated", _("Rated"), "count"),
        _i("satisfied", _("Satisfied (4-5)"), "count", better="high"),
        _i(
            "closure_rate",
            _("Closure rate (整改率)"),
            "rate",
            "closed_of_reported",
            "valid_reported",
            "high",
            _("Of the valid cases reported in the period, the share closed by its end."),
        ),
        _i(
            "on_time_rate",
            _("On-time rate (按期办结率)"),
            "rate",
            "on_time",
            "closed",
            "high",
            _("Of the cases closed in the period, the share whose fix was submitted in time."),
        ),
        _i(
            "rework_rate",
            _("Rework rate (返工率)"),
            "rate",
            "reworked",
            "closed",
            "low",
            _("Of the cases closed in the period, the share that failed a verification."),
        ),
        _i(
            "fixed_on_spot_rate",
            _("Fixed on the spot (现场整改率)"),
            "rate",
            "fixed_on_spot",
            "closed",
            "high",
            _("Of the cases closed in the period, the share fixed on the spot."),
        ),
        _i(
            "reply_rate",
            _("Reply rate (答复率)"),
            "rate",
            "replied",
            "replies_due",
            "high",
            _("Of the resident cases finished in the period, the share answered."),
        ),
        _i(
            "satisfied_rate",
            _("Satisfaction rate (满意率)"),
            "rate",
            "satisfied",
            "rated",
            "high",
            _("Of the ratings of cases finished in the period, the share of 4 or 5."),
        ),
        _i(
            "avg_hours",
            _("Average time to close (hours)"),
            "hours",
            None,
            "closed",
            "low",
            _("From report to 销号, over the cases closed in the period."),
        ),
        _i(
            "p90_hours",
            _("90th percentile time to close (hours)"),
            "hours",
            None,
            "closed",
            "low",
            _("Nine in ten cases closed in the period took no longer than this."),
        ),
        _i(
            "satisfaction_avg",
            _("Average satisfaction (1-5)"),
            "score",
            None,
            "rated",
            "high",
        ),
    ]
}

COUNTS: tuple[str, ...] = tuple(k for k, i in INDICATORS.items() if i.kind == "count")

# The cases each count is drawn from; compute() asks the database only for the families of
# the indicators requested, so a trend of "reported" reads the created_at index alone.
_FAMILY = {
    "reported": "created",
    "valid_reported": "created",
    "closed_of_reported": "created",
    "registered": "registered",
    "open": "open",
    "overdue": "open",
}  # every other count: "finished" (closed_at in P)

# Grouping dimensions: the path from Case, and the model that names a key.
GROUPS: dict[str, str] = {
    "unit": "unit",
    "grid": "grid",
    "area": "grid__parent",
    "category": "category",
    "source": "source",
    "standard": "finding__standard",
}
GROUP_LABELS: dict[str, Promise] = {
    "unit": _("Responsible unit"),
    "grid": _("Grid"),
    "area": _("Area (片区)"),
    "category": _("Category"),
    "source": _("Source"),
    "standard": _("Evaluation standard"),
}


def _check_group(group_by: str | None) -> str | None:
    if group_by is None:
        return None
    if group_by not in GROUPS:
        raise IndicatorError(
            _("Unknown grouping “%(g)s”: choose one of %(all)s.")
            % {"g": group_by, "all": ", ".join(GROUPS)}
        )
    return GROUPS[group_by]


# --- the result rows -----------------------------------------------------------------------------


def percent(numerator: int, denominator: int) -> float | None:
    """numerator / denominator in percent, rounded half up to two places; None for 0/0."""
    if not denominator:
        return None
    value = (Decimal(100 * numerator) / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return float(value)


def _round2(value: float | None) -> float | None:
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass
class IndicatorRow:
    """Every indicator for one group (or for everything when `group_by` was None)."""

    group: Any = None  # the key: a unit/grid/category/standard id, a source value, or None
    label: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    avg_hours: float | None = None
    p90_hours: float | None = None
    satisfaction_avg: float | None = None

    def value(self, key: str) -> int | float | None:
        """Any indicator of INDICATORS by its key."""
        indicator = INDICATORS.get(key)
        if indicator is None:
            raise IndicatorError(_("Unknown indicator “%(k)s”.") % {"k": key})
        if indicator.kind == "count":
            return self.counts[key]
        if indicator.kind == "rate":
            assert indicator.numerator and indicator.denominator
            return percent(self.counts[indicator.numerator], self.counts[indicator.denominator])
        return getattr(self, key)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        # row.closed, row.closure_rate, … read like attributes.
        if name in INDICATORS:
            return self.value(name)
        raise AttributeError(name)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"group": self.group, "label": self.label}
        out.update({key: self.value(key) for key in INDICATORS})
        return out


@dataclass(frozen=True)
class RankedRow:
    """A place in a ranking: equal values share a rank (1, 2, 2, 4); None: not ranked."""

    rank: int | None
    value: int | float | None
    row: IndicatorRow


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


# --- counting ------------------------------------------------------------------------------------


def _labels(group_by: str, keys: Iterable[Any]) -> dict[Any, str]:
    keys = [k for k in keys if k is not None]
    if group_by == "source":
        return {k: str(Source(k).label) if k in Source.values else str(k) for k in keys}
    model = Case._meta.get_field(GROUPS[group_by].split("__")[0]).related_model
    if group_by == "area":
        model = Case._meta.get_field("grid").related_model
    elif group_by == "standard":
        model = Standard
    assert model is not None
    return {pk: str(obj) for pk, obj in model._default_manager.in_bulk(keys).items()}  # type: ignore[attr-defined]


def label_of(group_by: str, key: Any) -> str:
    """The name of one group, as compute() labels it ("(none)" for the group of no value)."""
    _check_group(group_by)
    if key is None:
        return str(_("(none)"))
    return _labels(group_by, [key]).get(key, str(key))


def _p90(cases: QuerySet[Case], closed: Q, path: str | None) -> dict[Any, float | None]:
    """P90 time to close per group, nearest rank: the value at rank ceil(0.9 n), ascending.

    ROW_NUMBER and COUNT over a window partitioned by the group; the row kept satisfies
    rank*10 >= 9n and (rank-1)*10 < 9n, i.e. rank = ceil(0.9 n), in integers only.
    """
    partition = [F(path)] if path else None
    ranked = (
        cases.filter(closed)
        .order_by()
        .annotate(
            dur=_duration(),
            rn=Window(RowNumber(), partition_by=partition, order_by=[_duration().asc(), F("pk")]),
            n=Window(Count("pk"), partition_by=partition),
        )
        .annotate(rn10=F("rn") * 10, n9=F("n") * 9)
        .filter(rn10__gte=F("n9"), rn10__lt=F("n9") + 10)
    )
    out: dict[Any, float | None] = {}
    for key, dur in ranked.values_list(path or "pk", "dur"):
        out[key if path else None] = _hours(dur)
    return out


def _hours(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 3600
    return float(value) / 3_600_000_000  # SQLite hands back microseconds for a duration


def compute(
    period: Period,
    *,
    user: AnyUser | None = None,
    group_by: str | None = None,
    filters: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
    indicators: Sequence[str] | None = None,
) -> list[IndicatorRow]:
    """Every indicator (or those named in `indicators`) for the period, per group.

    One aggregate query (COUNT with a filter per count, AVG for the means) plus one window
    query for the P90 when it is wanted. Without `group_by` the answer is one row, group None;
    with it, one row per group that has anything to count, ordered by label. Counts not asked
    for are 0 in the rows.
    """
    now = now or timezone.now()
    path = _check_group(group_by)
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
    conds = _conditions(period, now)
    cases = scoped_cases(user=user, filters=filters)
    where = _in_families(conds, counts)
    aggregates: dict[str, Any] = {k: Count("pk", filter=conds[k]) for k in sorted(counts)}
    if "avg_hours" in wanted:
        aggregates["avg_hours"] = Avg(_duration(), filter=conds["closed"])
    if "satisfaction_avg" in wanted:
        aggregates["satisfaction_avg"] = Avg("satisfaction", filter=conds["rated"])
    selected = cases.filter(where).order_by()
    if path is None:
        results = [{"group": None, **selected.aggregate(**aggregates)}]
    else:
        results = [
            {"group": r.pop(path), **r} for r in selected.values(path).annotate(**aggregates)
        ]
    p90 = _p90(cases, conds["closed"], path) if "p90_hours" in wanted else {}
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
            row.counts[key] = r[key]
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
) -> IndicatorRow:
    """The one row of compute() without grouping."""
    return compute(period, user=user, filters=filters, now=now)[0]


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
    path = _check_group(group_by)
    key = spec.key if spec.kind == "count" else (spec.numerator or spec.denominator)
    assert key is not None
    cases = scoped_cases(user=user, filters=filters).filter(_conditions(period, now)[key])
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


# --- rankings and trends -------------------------------------------------------------------------


def _in_families(conds: Mapping[str, Q], counts: Iterable[str]) -> Q:
    """The cases any of `counts` may count: the OR of their families' conditions."""
    families = sorted({_FAMILY.get(k, "finished") for k in counts})
    return reduce(operator.or_, (conds[f"@{f}"] for f in families), Q(pk__in=[]))


def _active_groups(
    period: Period,
    path: str,
    user: AnyUser | None,
    filters: Mapping[str, Any] | None,
    now: dt.datetime,
) -> list[Any]:
    """The groups with any case in any family of the period (reported, registered, finished in
    it, or open at its end): the rows the dashboard's full computation would have."""
    where = _in_families(_conditions(period, now), COUNTS)
    cases = scoped_cases(user=user, filters=filters).filter(where).order_by()
    return list(cases.values_list(path, flat=True).distinct())


def rank(
    period: Period,
    by: str = "unit",
    indicator: str = "closure_rate",
    *,
    user: AnyUser | None = None,
    filters: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
    columns: Sequence[str] = (),
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
    )
    seen = {row.group for row in rows}
    missing = [g for g in _active_groups(period, path, user, filters, now) if g not in seen]
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
) -> list[int]:
    span = Period.custom(min(p.start for p in series), max(p.end for p in series))
    stamp = _BUCKETED[key]
    by_day = dict(
        scoped_cases(user=user, filters=filters)
        .filter(_conditions(span, now)[key])
        .annotate(day=TruncDate(stamp, tzinfo=timezone.get_default_timezone()))
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
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
) -> tuple[list[Period], dict[str, list[int | float | None]]]:
    """Several indicators over the same periods: (periods, {indicator: values})."""
    now = now or timezone.now()
    series = _series(periods)
    for key in indicators:
        if key not in INDICATORS:
            raise IndicatorError(_("Unknown indicator “%(k)s”.") % {"k": key})
    out: dict[str, list[int | float | None]] = {}
    daily: dict[str, list[int]] = {}

    def counts_of(key: str) -> list[int]:
        if key not in daily:
            daily[key] = _daily(series, key, user=user, filters=filters, now=now)
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
        rows = [compute(p, user=user, filters=filters, now=now, indicators=rest)[0] for p in series]
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
) -> list[tuple[Period, int | float | None]]:
    """The indicator for each period: a list of periods, or (first day, last day, step) with
    step day/week/month/quarter/year.

    Counts dated by one timestamp (reported, closed, …) and the rates between them take one
    query bucketed by local day; snapshots and measures take one aggregate query per period.
    """
    series, values = trends(periods, [indicator], user=user, filters=filters, now=now)
    return list(zip(series, values[indicator], strict=True))
