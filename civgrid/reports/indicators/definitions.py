"""What can be counted: the indicators, their families and the groupings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civgrid.cases.models import Source

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
    "district": "district_",  # computed from the grid's path, see conditions.Reader.grouped
    "category": "category",
    "source": "source",
    "standard": "finding__standard",
}
GROUP_LABELS: dict[str, Promise] = {
    "unit": _("Responsible unit"),
    "grid": _("Grid"),
    "area": _("Area (片区)"),
    "district": _("District (区)"),
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
