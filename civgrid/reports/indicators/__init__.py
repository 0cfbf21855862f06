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

from civgrid.reports.indicators.conditions import scoped_cases
from civgrid.reports.indicators.counting import compute, label_of, totals
from civgrid.reports.indicators.definitions import (
    COUNTS,
    GROUP_LABELS,
    GROUPS,
    INDICATORS,
    RESIDENT_SOURCES,
    Indicator,
    IndicatorError,
)
from civgrid.reports.indicators.listing import drilldown, overdue_list, slowest
from civgrid.reports.indicators.ranking import rank
from civgrid.reports.indicators.rows import IndicatorRow, RankedRow, percent
from civgrid.reports.indicators.trends import trend, trends
from civgrid.reports.periods import Period, PeriodError

__all__ = [
    "COUNTS",
    "GROUPS",
    "GROUP_LABELS",
    "RESIDENT_SOURCES",
    "INDICATORS",
    "Indicator",
    "IndicatorError",
    "IndicatorRow",
    "Period",
    "PeriodError",
    "RankedRow",
    "compute",
    "drilldown",
    "label_of",
    "overdue_list",
    "percent",
    "rank",
    "scoped_cases",
    "slowest",
    "totals",
    "trend",
    "trends",
]
