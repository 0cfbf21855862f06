from __future__ import annotations

import datetime as dt

from civgrid.workcalendar.models import CalendarOverride


def get_overrides(start: dt.date | None = None) -> dict[dt.date, bool]:
    """The office's overrides from `start` on (all when None): tiny, read per deadline."""
    qs = CalendarOverride.objects.all()
    if start is not None:
        qs = qs.filter(day__gte=start)
    return dict(qs.values_list("day", "is_workday"))
