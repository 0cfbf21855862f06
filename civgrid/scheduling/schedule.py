"""Periodic jobs of the queue itself (civgrid.scheduling.registry)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from civgrid.scheduling.models import RunStatus, ScheduledRun
from civgrid.scheduling.registry import register

# No job runs for long (they count and hand over); one still "running" after this lost its
# worker (killed, machine restarted) and will not finish.
RUN_LOST_AFTER = dt.timedelta(hours=2)
KEEP_TASK_RESULTS_DAYS = 30


def fail_interrupted_runs(slot: dt.datetime) -> str:
    now = timezone.now()
    failed = ScheduledRun.objects.filter(
        status=RunStatus.RUNNING, started_at__lt=now - RUN_LOST_AFTER
    ).update(
        status=RunStatus.FAILED,
        error="Interrupted: the worker running it stopped; the next slot runs as usual.",
        finished_at=now,
    )
    return f"{failed} interrupted run(s) marked failed"


def prune_task_results(slot: dt.datetime) -> str:
    """The database queue keeps every finished task's row; drop those finished 30 days ago
    (what `civgrid prune_db_task_results` does, on the schedule)."""
    if not isinstance(task_backends["default"], DatabaseBackend):
        return "not the database queue: nothing to prune"
    cutoff = timezone.now() - dt.timedelta(days=KEEP_TASK_RESULTS_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return f"{deleted} finished task row(s) deleted"


register("scheduling.interrupted_runs", func=f"{__name__}.fail_interrupted_runs", every=15)
register("scheduling.prune_task_results", func=f"{__name__}.prune_task_results", at="03:30")
