from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, QuerySet
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from civgrid.scheduling import registry
from civgrid.scheduling.models import RunStatus, ScheduledRun
from civgrid.scheduling.slots import next_slot


def describe(job: registry.Job) -> str:
    """The schedule in words, for the office."""
    if job.every is not None:
        return _("every %(minutes)d minutes") % {"minutes": job.every}
    assert job.at is not None
    at = time_format(job.at, "H:i")
    if job.monthly_on is not None:
        return _("monthly on day %(day)d at %(time)s") % {"day": job.monthly_on, "time": at}
    return _("daily at %(time)s") % {"time": at}


@dataclass
class ScheduleRow:
    job: registry.Job
    schedule: str
    next_at: dt.datetime | None
    last: ScheduledRun | None


def schedule_rows(now: dt.datetime) -> list[ScheduleRow]:
    jobs = registry.jobs()
    # One query: each job's latest run (the last one inserted).
    newest = ScheduledRun.objects.values("job").annotate(newest=Max("pk")).values("newest")
    last = {run.job: run for run in ScheduledRun.objects.filter(pk__in=newest)}
    return [
        ScheduleRow(
            job, describe(job), next_slot(job, now) if job.is_on else None, last.get(job.name)
        )
        for job in jobs
    ]


def recent_runs(limit: int = 50) -> QuerySet[ScheduledRun]:
    return ScheduledRun.objects.order_by("-enqueued_at", "-pk")[:limit]


def failures(limit: int = 20) -> QuerySet[ScheduledRun]:
    """Failed runs and runs that need the office's attention, newest first."""
    wanted = [RunStatus.FAILED, RunStatus.ATTENTION]
    return ScheduledRun.objects.filter(status__in=wanted).order_by("-slot")[:limit]
