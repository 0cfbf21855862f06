"""Periodic jobs of the queue itself (civgrid.scheduling.registry)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from civgrid.scheduling import registry
from civgrid.scheduling.models import RunStatus, ScheduledRun
from civgrid.scheduling.queue import enqueue
from civgrid.scheduling.registry import register
from civgrid.scheduling.runner import run_scheduled
from civgrid.scheduling.slots import latest_slot

# No job runs for long (they count and hand over); one still "running" after this lost its
# worker (killed, machine restarted) and will not finish.
RUN_LOST_AFTER = dt.timedelta(hours=2)
KEEP_TASK_RESULTS_DAYS = 30
# A run interrupted by a dead worker is tried this many times in all (then failed).
MAX_ATTEMPTS = 2


def recover_interrupted_runs(slot: dt.datetime) -> str:
    """Runs whose worker died: still "running" RUN_LOST_AFTER after they started, or still
    "queued" that long after they were enqueued (the task was lost with its queue).

    A run of the job's latest slot is queued again once (jobs are idempotent per slot: a slot
    run twice writes nothing new), so a daily job killed at 08:31 still does its day's work;
    a run of an older slot, or one already retried, is marked failed and the next slot runs as
    usual. Conditional updates: two schedulers never both requeue one run.
    """
    now = timezone.now()
    cutoff = now - RUN_LOST_AFTER
    lost = ScheduledRun.objects.filter(
        Q(status=RunStatus.RUNNING, started_at__lt=cutoff)
        | Q(status=RunStatus.QUEUED, enqueued_at__lt=cutoff)
    )
    requeued = failed = 0
    for run in lost:
        job = registry.get(run.job)
        current = job is not None and job.is_on and latest_slot(job, now) == run.slot
        still = ScheduledRun.objects.filter(pk=run.pk, status=run.status, attempts=run.attempts)
        with transaction.atomic():
            if current and run.attempts < MAX_ATTEMPTS:
                if still.update(
                    status=RunStatus.QUEUED,
                    started_at=None,
                    enqueued_at=now,
                    attempts=F("attempts") + 1,
                    error="Interrupted: the worker running it stopped; queued again.",
                ):
                    enqueue(run_scheduled, run.pk)
                    requeued += 1
            elif still.update(
                status=RunStatus.FAILED,
                error="Interrupted: the worker running it stopped; the next slot runs as usual.",
                finished_at=now,
            ):
                failed += 1
    return f"{requeued} interrupted run(s) queued again, {failed} marked failed"


def prune_task_results(slot: dt.datetime) -> str:
    """The database queue keeps every finished task's row; drop those finished 30 days ago
    (what `civgrid prune_db_task_results` does, on the schedule)."""
    if not isinstance(task_backends["default"], DatabaseBackend):
        return "not the database queue: nothing to prune"
    cutoff = timezone.now() - dt.timedelta(days=KEEP_TASK_RESULTS_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return f"{deleted} finished task row(s) deleted"


register("scheduling.interrupted_runs", func=f"{__name__}.recover_interrupted_runs", every=15)
register("scheduling.prune_task_results", func=f"{__name__}.prune_task_results", at="03:30")
