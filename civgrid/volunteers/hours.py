"""The rules of service hours and star levels (服务时长与星级), as plain functions.

Hours are credited from the confirmed check-in and check-out times:

1. the time counts only inside the activity's scheduled window (arriving early or leaving late
   earns nothing extra);
2. time already credited to the same person for another activity is not counted again (no
   overlapping activities for one person: the overlapping part is dropped);
3. the rest is rounded *down* to whole steps of `ROUNDING_MINUTES` (30 by default);
4. and capped at the activity's `max_hours` (by default its length).

Star levels follow the national practice (1★ 100 h, 2★ 300 h, 3★ 600 h, 4★ 1,000 h, 5★ 1,500 h);
the thresholds are the setting `CIVGRID_VOLUNTEER_STARS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings

DEFAULT_STARS: tuple[int, ...] = (100, 300, 600, 1000, 1500)
DEFAULT_ROUNDING_MINUTES = 30

Interval = tuple[dt.datetime, dt.datetime]


def star_thresholds() -> tuple[int, ...]:
    return tuple(getattr(settings, "CIVGRID_VOLUNTEER_STARS", DEFAULT_STARS))


def rounding_minutes() -> int:
    return int(getattr(settings, "CIVGRID_VOLUNTEER_ROUNDING_MINUTES", DEFAULT_ROUNDING_MINUTES))


def clip(
    checked_in: dt.datetime, checked_out: dt.datetime, starts: dt.datetime, ends: dt.datetime
) -> Interval | None:
    """The part of [checked_in, checked_out] inside the activity's window, or None."""
    start, end = max(checked_in, starts), min(checked_out, ends)
    return (start, end) if end > start else None


def uncovered_seconds(interval: Interval, taken: Iterable[Interval]) -> int:
    """Seconds of `interval` outside every interval of `taken` (which may overlap each other)."""
    start, end = interval
    pieces = sorted((max(s, start), min(e, end)) for s, e in taken if e > start and s < end)
    covered = 0.0
    cursor = start
    for s, e in pieces:
        if e <= cursor:
            continue
        covered += (e - max(s, cursor)).total_seconds()
        cursor = e
    return int((end - start).total_seconds() - covered)


def round_down(seconds: int, step_minutes: int | None = None) -> Decimal:
    """Whole steps of `step_minutes` in `seconds`, as hours (29 minutes with a 30-minute step
    are 0 h; 89 minutes are 1.0 h)."""
    step = (step_minutes or rounding_minutes()) * 60
    steps = max(seconds, 0) // step
    return (Decimal(steps * step) / Decimal(3600)).quantize(Decimal("0.01"))


def credited_hours(
    checked_in: dt.datetime,
    checked_out: dt.datetime,
    *,
    starts: dt.datetime,
    ends: dt.datetime,
    cap: Decimal,
    taken: Sequence[Interval] = (),
) -> tuple[Decimal, Interval | None]:
    """The hours to credit and the interval they cover (see the module's rules)."""
    interval = clip(checked_in, checked_out, starts, ends)
    if interval is None:
        return Decimal("0.00"), None
    hours = round_down(uncovered_seconds(interval, taken))
    return min(hours, Decimal(cap).quantize(Decimal("0.01"))), interval


def star_level(total_hours: Decimal | float, thresholds: Sequence[int] | None = None) -> int:
    """The star level (0 to 5) of a cumulative number of confirmed hours."""
    levels = thresholds or star_thresholds()
    return sum(1 for t in levels if total_hours >= t)


def levels_reached(
    credits: Iterable[tuple[dt.datetime, Decimal]], thresholds: Sequence[int] | None = None
) -> list[tuple[int, dt.datetime]]:
    """(level, when) for each level reached, from the credits in time order: the moment the
    running total first reached the threshold (a correction that brings it back below does not
    take the date away, as a level once awarded is on the certificate)."""
    levels = list(thresholds or star_thresholds())
    reached: list[tuple[int, dt.datetime]] = []
    total = Decimal(0)
    for at, hours in credits:
        total += hours
        while len(reached) < len(levels) and total >= levels[len(reached)]:
            reached.append((len(reached) + 1, at))
    return reached


def hours_to_next(total_hours: Decimal, thresholds: Sequence[int] | None = None) -> Decimal | None:
    levels = thresholds or star_thresholds()
    for t in levels:
        if total_hours < t:
            return Decimal(t) - total_hours
    return None
