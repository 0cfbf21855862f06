"""The scheduler's tick and the task that runs one slot.

`tick(now)`: for every enabled job, the latest slot at `now`; if no ScheduledRun holds it yet,
insert one and enqueue `run_scheduled` for it in the same transaction. The unique (job, slot)
key decides between two schedulers (or one restarted mid-tick): the loser's insert fails and it
enqueues nothing. Only the latest slot is looked at, so a scheduler that was down catches up
the slot it missed most recently, once, and not every slot of the outage.

`execute(run_id)`: claims the run (queued → running, a conditional update: a task delivered
twice runs the job once), calls the job's function with the slot, records the outcome.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from civgrid.scheduling import registry
from civgrid.scheduling.models import RunStatus, ScheduledRun
from civgrid.scheduling.queue import enqueue
from civgrid.scheduling.slots import latest_slot

log = logging.getLogger(__name__)


def tick(now: dt.datetime) -> list[ScheduledRun]:
    """Enqueue every due slot not enqueued before; returns the runs this call created."""
    created = []
    for job in registry.jobs():
        if not job.is_on:
            continue
        slot = latest_slot(job, now)
        if ScheduledRun.objects.filter(job=job.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot, enqueued_at=now)
                enqueue(run_scheduled, run.pk)
        except IntegrityError:
            continue  # another scheduler inserted this slot between our check and our insert
        created.append(run)
    return created


def execute(run_id: int) -> ScheduledRun:
    started = timezone.now()
    claimed = ScheduledRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=started
    )
    run = ScheduledRun.objects.get(pk=run_id)
    if not claimed:
        return run
    job = registry.get(run.job)
    clock = time.monotonic()
    fields: dict[str, object]
    try:
        if job is None:
            raise LookupError(f"no job named {run.job!r} is registered any more")
        result = import_string(job.func)(run.slot)
    except registry.Attention as finding:
        fields = {"status": RunStatus.ATTENTION, "result": str(finding)[:2000]}
    except Exception as exc:  # the run records any failure; the worker must go on
        log.exception("scheduled job %s (slot %s) failed", run.job, run.slot)
        fields = {"status": RunStatus.FAILED, "error": f"{type(exc).__name__}: {exc}"[:2000]}
    else:
        fields = {"status": RunStatus.DONE, "result": str(result or "")[:2000]}
    ScheduledRun.objects.filter(pk=run_id).update(
        finished_at=timezone.now(), duration_ms=int((time.monotonic() - clock) * 1000), **fields
    )
    run.refresh_from_db()
    return run


@task()
def run_scheduled(run_id: int) -> str:
    """The task the scheduler enqueues for one slot; returns the run's final status."""
    return str(execute(run_id).status)
