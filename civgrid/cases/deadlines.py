"""Deadlines (整改时限) in Chinese working days: the one place a case's due time is computed.

A deadline of n working days from an assignment made on day D is the end of the n-th working
day after D (D itself does not count), in Asia/Shanghai, stored as the following midnight.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from civgrid.cases.models import Category, DeadlineRule
from civgrid.lib import workdays
from civgrid.workcalendar.queries import get_overrides


def working_days_for(category: Category, urgency: str) -> int:
    rule = DeadlineRule.objects.filter(category=category, urgency=urgency).first()
    return rule.working_days if rule else category.working_days


def end_of_day(day: dt.date) -> dt.datetime:
    """The instant a working day ends locally: next midnight in the current time zone."""
    tz = timezone.get_default_timezone()
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def due_day(due_at: dt.datetime) -> dt.date:
    """The last day allowed, as the office says it ("2月27日前整改完毕")."""
    return timezone.localtime(due_at).date() - dt.timedelta(days=1)


def due_after_workdays(start: dt.datetime, n: int) -> dt.datetime:
    start_day = timezone.localtime(start).date()
    return end_of_day(workdays.add_workdays(start_day, n, get_overrides(start_day)))


def due_soon_until(now: dt.datetime, overrides: workdays.Overrides | None = None) -> dt.datetime:
    """A deadline up to this instant is due soon (临期): by the end of the next working day.

    Pass the calendar's overrides (from today on) when the caller has them already."""
    today = timezone.localtime(now).date()
    if overrides is None:
        overrides = get_overrides(today)
    return end_of_day(workdays.add_workdays(today, 1, overrides))


def compute_due_at(category: Category, urgency: str, start: dt.datetime) -> dt.datetime:
    return due_after_workdays(start, working_days_for(category, urgency))


def extend_due_at(due_at: dt.datetime, n: int) -> dt.datetime:
    """Move a deadline n working days further (延期)."""
    last = due_day(due_at)
    return end_of_day(workdays.add_workdays(last, n, get_overrides(last)))


def due_at_for_day(day: dt.date) -> dt.datetime:
    """A deadline the office sets by hand: the end of that day."""
    return end_of_day(day)
