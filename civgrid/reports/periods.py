"""Reporting periods (统计周期): whole local days in Asia/Shanghai, the end day included.

A period is a pair of dates; it covers the instants from local midnight of `start` up to, not
including, local midnight after `end`. A case reported at 23:30 on 31 March (Beijing time) is
in March however it is stored (15:30 UTC).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

KINDS = ("day", "week", "month", "quarter", "year", "custom")

# The longest custom period accepted from users (a trend step over it stays bounded too).
MAX_CUSTOM_DAYS = 3 * 366


class PeriodError(ValueError):
    """A period that cannot be read or makes no sense; the message is for the user."""


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: `start` to `end`, both local dates, `end` included."""

    start: dt.date
    end: dt.date
    kind: str = "custom"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(_("The period ends before it starts."))
        if self.kind not in KINDS:
            raise PeriodError(_("Unknown kind of period."))

    # --- constructors -------------------------------------------------------------------------

    @classmethod
    def day(cls, day: dt.date) -> Period:
        return cls(day, day, "day")

    @classmethod
    def week(cls, day: dt.date) -> Period:
        """The ISO week (Monday to Sunday) holding `day`."""
        monday = day - dt.timedelta(days=day.weekday())
        return cls(monday, monday + dt.timedelta(days=6), "week")

    @classmethod
    def month(cls, day: dt.date) -> Period:
        last = calendar.monthrange(day.year, day.month)[1]
        return cls(day.replace(day=1), day.replace(day=last), "month")

    @classmethod
    def quarter(cls, day: dt.date) -> Period:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = dt.date(day.year, first_month, 1)
        end = cls.month(dt.date(day.year, first_month + 2, 1)).end
        return cls(start, end, "quarter")

    @classmethod
    def year(cls, day: dt.date) -> Period:
        return cls(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year")

    @classmethod
    def custom(cls, start: dt.date, end: dt.date) -> Period:
        return cls(start, end, "custom")

    @classmethod
    def of(cls, kind: str, day: dt.date) -> Period:
        """The period of this kind (day/week/month/quarter/year) holding `day`."""
        if kind not in KINDS or kind == "custom":
            raise PeriodError(_("Unknown kind of period."))
        return getattr(cls, kind)(day)  # type: ignore[no-any-return]

    @classmethod
    def current(cls, kind: str = "month", now: dt.datetime | None = None) -> Period:
        return cls.of(kind, timezone.localdate(now or timezone.now()))

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a period's key (see `key`): 2024-03-05, 2024-W10, 2024-03, 2024-Q1, 2024, or
        2024-03-01..2024-03-15 for a custom period."""
        text = (text or "").strip()
        try:
            if ".." in text:
                a, b = text.split("..", 1)
                period = cls.custom(dt.date.fromisoformat(a), dt.date.fromisoformat(b))
                if (period.end - period.start).days + 1 > MAX_CUSTOM_DAYS:
                    raise PeriodError(_("A custom period can be at most three years long."))
                return period
            if m := re.fullmatch(r"(\d{4})-W(\d{1,2})", text):
                return cls.week(dt.date.fromisocalendar(int(m[1]), int(m[2]), 1))
            if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
                return cls.quarter(dt.date(int(m[1]), 3 * int(m[2]) - 2, 1))
            if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
                return cls.month(dt.date(int(m[1]), int(m[2]), 1))
            if re.fullmatch(r"\d{4}", text):
                return cls.year(dt.date(int(text), 1, 1))
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return cls.day(dt.date.fromisoformat(text))
        except ValueError as exc:
            if isinstance(exc, PeriodError):
                raise
            raise PeriodError(_("“%(text)s” is not a valid period.") % {"text": text}) from exc
        raise PeriodError(_("“%(text)s” is not a valid period.") % {"text": text})

    # --- questions ------------------------------------------------------------------------------

    @property
    def start_at(self) -> dt.datetime:
        """The first instant: local midnight at the start."""
        return _local_midnight(self.start)

    @property
    def end_at(self) -> dt.datetime:
        """The first instant after the period: local midnight after the end day."""
        return _local_midnight(self.end + dt.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, moment: dt.datetime) -> bool:
        return self.start_at <= moment < self.end_at

    def as_of(self, now: dt.datetime) -> dt.datetime:
        """The moment snapshot figures (open, overdue, closure rate) are taken at: the last
        instant of the period, or `now` while the period is still running."""
        return min(now, self.end_at - dt.timedelta(microseconds=1))

    def previous(self) -> Period:
        """The period just before, of the same kind (a custom one: as many days, just before)."""
        if self.kind == "custom":
            return Period.custom(
                self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1)
            )
        return Period.of(self.kind, self.start - dt.timedelta(days=1))

    def next(self) -> Period:
        if self.kind == "custom":
            return Period.custom(
                self.end + dt.timedelta(days=1), self.end + dt.timedelta(days=self.days)
            )
        return Period.of(self.kind, self.end + dt.timedelta(days=1))

    def key(self) -> str:
        """A short stable text form, read back by `parse` (used in URLs and the API)."""
        if self.kind == "day":
            return self.start.isoformat()
        if self.kind == "week":
            year, week, _day = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.start.year}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def label(self) -> str:
        """For people: 2024年3月, 2024年第1季度, 2024-03-01 至 2024-03-15."""
        if self.kind == "day":
            return _("%(y)d-%(m)02d-%(d)02d") % {
                "y": self.start.year,
                "m": self.start.month,
                "d": self.start.day,
            }
        if self.kind == "week":
            year, week, _day = self.start.isocalendar()
            return _("Week %(w)d of %(y)d (%(start)s to %(end)s)") % {
                "w": week,
                "y": year,
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
            }
        if self.kind == "month":
            return _("%(m)d/%(y)d") % {"m": self.start.month, "y": self.start.year}
        if self.kind == "quarter":
            return _("Q%(q)d %(y)d") % {"q": (self.start.month - 1) // 3 + 1, "y": self.start.year}
        if self.kind == "year":
            return _("Year %(y)d") % {"y": self.start.year}
        return _("%(start)s to %(end)s") % {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }

    def __str__(self) -> str:
        return self.key()


def periods_between(start: dt.date, end: dt.date, step: str) -> list[Period]:
    """The periods of kind `step` from the one holding `start` to the one holding `end`."""
    if step not in KINDS or step == "custom":
        raise PeriodError(_("Unknown kind of period."))
    if end < start:
        raise PeriodError(_("The period ends before it starts."))
    out = [Period.of(step, start)]
    while out[-1].end < end:
        out.append(out[-1].next())
        if len(out) > 400:
            raise PeriodError(_("Too many steps: choose a longer step or a shorter span."))
    return out
