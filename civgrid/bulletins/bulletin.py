"""The periodic bulletin (通报) as a Word document.

Built only from aggregates and bounded lists, so its size and the time it takes do not grow
with the ledger: the figures are civgrid.reports.indicators.compute for the period (one
aggregate query), the ranking is one row per unit (a fixed list of a few dozen, capped at
MAX_RANKED), and the "举牌亮剑" lists hold at most MAX_LISTED cases each, with the full count
beside them. The work-log section sums the period's work logs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.bulletins import word
from civgrid.cases.models import Case
from civgrid.org.queries import AnyUser
from civgrid.reports import indicators
from civgrid.reports.indicators import INDICATORS, IndicatorRow, RankedRow
from civgrid.reports.periods import Period

MAX_RANKED = 60
MAX_LISTED = 20
RANK_BY = "closure_rate"
# The figures of the summary table, in the order they are printed.
SUMMARY = (
    "reported",
    "registered",
    "closed",
    "closure_rate",
    "on_time_rate",
    "open",
    "overdue",
    "fixed_on_spot",
    "rework_rate",
    "reply_rate",
    "satisfied_rate",
    "avg_hours",
)
RANK_COLUMNS = ("valid_reported", "closed_of_reported", "closure_rate", "on_time_rate", "overdue")


@dataclass
class BulletinData:
    """Everything the bulletin prints, so the page and the document show the same."""

    period: Period
    now: dt.datetime
    totals: IndicatorRow
    ranking: list[RankedRow]
    overdue: list[Case]
    overdue_count: int
    slowest: list[Case]


def gather(period: Period, *, user: AnyUser | None, now: dt.datetime) -> BulletinData:
    overdue_cases = indicators.overdue_list(now, user=user)
    return BulletinData(
        period=period,
        now=now,
        totals=indicators.compute(period, user=user, now=now)[0],
        ranking=indicators.rank(period, "unit", RANK_BY, user=user, now=now, columns=RANK_COLUMNS)[
            :MAX_RANKED
        ],
        overdue=list(overdue_cases[:MAX_LISTED]),
        overdue_count=overdue_cases.count(),
        slowest=list(indicators.slowest(period, user=user, now=now, limit=MAX_LISTED)),
    )


def show(row: IndicatorRow, key: str) -> str:
    """A figure as printed: counts with separators, rates with %, None as a dash."""
    value = row.value(key)
    if value is None:
        return "—"
    if INDICATORS[key].kind == "rate":
        return f"{value:.2f}%"
    if INDICATORS[key].kind == "count":
        return f"{int(value):,}"
    return f"{value:.1f}"


def summary_text(data: BulletinData) -> str:
    t = data.totals
    return _(
        "In %(period)s, %(reported)s problems were reported and %(closed)s were closed "
        "(销号); of the valid reports of the period, %(closure)s were closed "
        "(closure rate). %(on_time)s of the closed cases were fixed on time. At the end of "
        "the period %(open)s cases were open, %(overdue)s of them overdue."
    ) % {
        "period": data.period.label(),
        "reported": show(t, "reported"),
        "closed": show(t, "closed"),
        "closure": show(t, "closure_rate"),
        "on_time": show(t, "on_time_rate"),
        "open": show(t, "open"),
        "overdue": show(t, "overdue"),
    }


def _days_over(case: Case, now: dt.datetime) -> str:
    if case.due_at is None:
        return ""
    return f"{(now - case.due_at).total_seconds() / 86400:.1f}"


def _hours_taken(case: Case) -> str:
    if case.closed_at is None:
        return ""
    return f"{(case.closed_at - case.created_at).total_seconds() / 3600:.1f}"


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def write_bulletin(
    path: Path, period: Period, *, user: AnyUser | None, now: dt.datetime
) -> BulletinData:
    data = gather(period, user=user, now=now)
    doc = word.new_document()
    word.title(
        doc,
        _("Bulletin on problem rectification, %(period)s") % {"period": period.label()},
        _("Issued %(day)s") % {"day": timezone.localdate(now).isoformat()},
    )
    word.heading(doc, _("1. Overall"))
    word.paragraph(doc, summary_text(data))
    word.table(
        doc,
        [_("Indicator"), _("Value")],
        [[str(INDICATORS[key].label), show(data.totals, key)] for key in SUMMARY],
    )

    word.heading(doc, _("2. Units ranked by closure rate"))
    if data.ranking:
        word.table(
            doc,
            [_("Rank"), _("Responsible unit"), *(str(INDICATORS[k].label) for k in RANK_COLUMNS)],
            [
                [r.rank if r.rank is not None else "—", r.row.label]
                + [show(r.row, k) for k in RANK_COLUMNS]
                for r in data.ranking
            ],
        )
    else:
        word.paragraph(doc, _("No unit had cases in this period."))

    word.heading(doc, _("3. Named for delay (举牌亮剑)"))
    word.paragraph(
        doc,
        _(
            "As of %(at)s, %(count)s cases are overdue; the %(shown)s longest overdue are "
            "listed. The units concerned are to fix them at once and report back."
        )
        % {"at": _local(now), "count": f"{data.overdue_count:,}", "shown": len(data.overdue)},
    )
    if data.overdue:
        word.table(
            doc,
            [
                _("Tracking code"),
                _("Responsible unit"),
                _("Category"),
                _("Deadline"),
                _("Days overdue"),
            ],
            [
                [
                    c.tracking_code,
                    c.unit.name if c.unit else "",
                    c.category.name,
                    _local(c.due_at),
                    _days_over(c, now),
                ]
                for c in data.overdue
            ],
        )
    word.paragraph(
        doc,
        _("The %(shown)s cases closed in the period that took longest:")
        % {"shown": len(data.slowest)},
    )
    if data.slowest:
        word.table(
            doc,
            [_("Tracking code"), _("Responsible unit"), _("Category"), _("Closed at"), _("Hours")],
            [
                [
                    c.tracking_code,
                    c.unit.name if c.unit else "",
                    c.category.name,
                    _local(c.closed_at),
                    _hours_taken(c),
                ]
                for c in data.slowest
            ],
        )

    word.heading(doc, _("4. Campaign work"))
    from civgrid.worklogs.exports import add_worklog_section
    from civgrid.worklogs.queries import worklogs_for_user

    add_worklog_section(doc, worklogs_for_user(user), period)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return data


def figures(data: BulletinData) -> dict[str, Any]:
    """The summary figures as printed, by indicator key (for pages and tests)."""
    return {key: show(data.totals, key) for key in SUMMARY}
