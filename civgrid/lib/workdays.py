"""Chinese working days (工作日), with 调休 make-up workdays.

The State Council publishes each year's holidays and make-up workdays late in the previous
year. `chinesecalendar` carries them for the years it knows; the campaign office corrects or
extends them through an override table (civgrid.workcalendar). This module is pure: callers pass
the overrides in as a mapping of date -> is_workday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import chinese_calendar

Overrides = Mapping[dt.date, bool]


def library_knows(day: dt.date) -> bool:
    """Whether the bundled calendar has the official schedule for this day's year."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_workday(day: dt.date, overrides: Overrides | None = None) -> bool:
    """A day is a working day by the office's override, else the official calendar, else Mon-Fri.

    The last fallback matters for years the library does not cover yet: deadlines still move
    forward on weekdays until the office enters that year's holidays.
    """
    if overrides and day in overrides:
        return overrides[day]
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(start: dt.date, n: int, overrides: Overrides | None = None) -> dt.date:
    """The n-th working day after `start` (start itself never counts).

    n=0 means "today if today is a working day, else the next working day".
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    day = start
    if n == 0:
        while not is_workday(day, overrides):
            day += dt.timedelta(days=1)
        return day
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if is_workday(day, overrides):
            counted += 1
    return day


def workdays_between(start: dt.date, end: dt.date, overrides: Overrides | None = None) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -workdays_between(end, start, overrides)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_workday(day, overrides):
            count += 1
    return count
