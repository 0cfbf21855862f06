"""Schedule arithmetic: the latest slot of a job at a moment, and the next one.

Plain functions over a Job and an aware datetime. Slots are local wall-clock times
(settings.TIME_ZONE, Asia/Shanghai: no daylight saving) returned in UTC. Three shapes are all
civgrid needs, each a few lines, so no cron library (croniter would bring cron strings, which
nobody in the office writes, for the same three answers).
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone

from civgrid.scheduling.registry import Job


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(timezone.get_default_timezone())


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


def _monthly(year: int, month: int, job: Job) -> dt.datetime:
    assert job.monthly_on is not None and job.at is not None
    day = min(job.monthly_on, calendar.monthrange(year, month)[1])
    return _at(dt.date(year, month, day), job.at)


def _previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def latest_slot(job: Job, now: dt.datetime) -> dt.datetime:
    """The most recent slot at or before `now` (UTC)."""
    local = _local(now)
    if job.every is not None:
        midnight = _at(local.date(), dt.time(0, 0))
        minutes = int((local - midnight).total_seconds() // 60)
        slot = midnight + dt.timedelta(minutes=minutes - minutes % job.every)
    elif job.monthly_on is not None:
        slot = _monthly(local.year, local.month, job)
        if slot > local:
            slot = _monthly(*_previous_month(local.year, local.month), job)
    else:
        assert job.at is not None
        slot = _at(local.date(), job.at)
        if slot > local:
            slot = _at(local.date() - dt.timedelta(days=1), job.at)
    return slot.astimezone(dt.UTC)


def next_slot(job: Job, now: dt.datetime) -> dt.datetime:
    """The first slot after `now` (UTC)."""
    latest = _local(latest_slot(job, now))
    if job.every is not None:
        slot = latest + dt.timedelta(minutes=job.every)
    elif job.monthly_on is not None:
        slot = _monthly(*_next_month(latest.year, latest.month), job)
    else:
        assert job.at is not None
        slot = _at(latest.date() + dt.timedelta(days=1), job.at)
    return slot.astimezone(dt.UTC)
