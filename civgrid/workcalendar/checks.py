"""A system check that warns when the current year's holidays are unknown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.checks import Warning, register
from django.db import DatabaseError
from django.utils import timezone

from civgrid.lib.workdays import library_knows


@register("civgrid")
def current_year_calendar(app_configs: Any, **kwargs: Any) -> list[Warning]:
    year = timezone.localdate().year
    if library_knows(dt.date(year, 6, 1)):
        return []
    from civgrid.workcalendar.models import CalendarOverride

    try:
        if CalendarOverride.objects.filter(day__year=year).exists():
            return []
    except DatabaseError:
        return []  # not migrated yet
    return [
        Warning(
            f"The working-day calendar has no holidays for {year}.",
            hint="Upgrade chinesecalendar or enter the year's holidays and make-up workdays "
            "in the admin (Working-day calendar → calendar overrides).",
            id="civgrid.W001",
        )
    ]
