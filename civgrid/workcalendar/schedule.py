"""Periodic jobs of the working-day calendar (civgrid.scheduling.registry)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from civgrid.lib.workdays import library_knows
from civgrid.scheduling.registry import Attention, register
from civgrid.workcalendar.models import CalendarOverride

# The State Council publishes next year's holidays around November: from December on, a
# calendar that still does not know them makes every deadline of January wrong.
WARN_FROM_MONTH = 12


def unknown_next_year(today: dt.date) -> int | None:
    """Next year, if from December on neither the library nor the office's overrides know it."""
    year = today.year + 1
    if today.month < WARN_FROM_MONTH or library_knows(dt.date(year, 6, 1)):
        return None
    if CalendarOverride.objects.filter(day__year=year).exists():
        return None
    return year


def check_next_year(slot: dt.datetime) -> str:
    year = unknown_next_year(timezone.localdate(slot))
    if year is not None:
        raise Attention(
            f"The working-day calendar has no holidays for {year}: upgrade chinesecalendar or "
            "enter the year's holidays and make-up workdays (admin → calendar overrides)."
        )
    return "next year's calendar is known (or it is not December yet)"


register("workcalendar.next_year", func="civgrid.workcalendar.schedule.check_next_year", at="09:00")
