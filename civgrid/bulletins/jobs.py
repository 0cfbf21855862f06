"""Running exports: ask for one (`request_export`), run it (`run_job`), find them (`jobs_for_user`).

The ExportJob row is the record the pages follow (progress bar, download, scope); the work is a
task of Django's Tasks API (`run_export`, on the queue of settings.TASKS: `civgrid db_worker`
by default, see docs/operations.md). `request_export` enqueues it in the request's transaction
(civgrid.scheduling.queue.enqueue). `run_job` claims a queued job with a conditional update, so
a task delivered twice (or a job enqueued again by `check_stale`) writes once, then writes the
file in chunks, bumping `rows_done` (and the heartbeat) every PROGRESS_EVERY rows, and finally
moves the finished file into place. A job whose worker died stops beating: `check_stale`, a
scheduled job (civgrid/bulletins/schedule.py), marks it failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from civgrid.bulletins.models import ExportJob, ExportKind, JobStatus, exports_dir
from civgrid.bulletins.registry import Exporter, registered
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, role_of
from civgrid.scheduling.queue import enqueue

log = logging.getLogger(__name__)

# A running job that has not reported progress for this long has lost its process.
STALE_AFTER = dt.timedelta(minutes=10)


def exporters() -> dict[str, Exporter]:
    """Every kind of export, as the apps registered them (civgrid.bulletins.registry)."""
    return registered()


def request_export(*, actor: AnyUser, kind: str, params: dict[str, Any]) -> ExportJob:
    """Record an export for `actor` and enqueue the task that writes it; returns the job as it
    is now (queued, or already done where tasks run at once)."""
    if kind not in ExportKind.values:
        raise ValueError(kind)
    params = {**params, "language": params.get("language") or translation.get_language()}
    job = ExportJob.objects.create(
        kind=kind, params=params, requested_by=cast(User, actor), created_at=timezone.now()
    )
    enqueue(run_export, job.pk)
    job.refresh_from_db()
    return job


@task()
def run_export(job_id: int) -> str:
    """The task: run one ExportJob; returns its final status."""
    return str(run_job(job_id).status)


def claim(job_id: int, now: dt.datetime) -> bool:
    """queued → running, for exactly one runner."""
    return bool(
        ExportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
        )
    )


def run_job(job_id: int) -> ExportJob:
    """Write the job's file if it is still queued; returns the job as it ends."""
    if not claim(job_id, timezone.now()):
        return ExportJob.objects.get(pk=job_id)
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    exporter = exporters()[job.kind]
    directory = exports_dir()
    directory.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(8)
    part = directory / f".{job.pk}-{token}.part"
    # The figures are those of the moment it was asked for, as the page showed them then.
    as_of = job.created_at

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=rows, heartbeat_at=timezone.now())

    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            total = exporter.count(job.requested_by, job.params, as_of)
            ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
            rows = exporter.write(job.requested_by, job.params, as_of, part, progress)
            download = exporter.name(job.params, as_of)
        final = f"{job.pk}-{token}{exporter.suffix}"
        part.rename(directory / final)
    except Exception as exc:  # the job records any failure; the runner must go on
        log.exception("export job %s failed", job.pk)
        part.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
    else:
        ExportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            rows_done=rows,
            rows_total=max(rows, total),
            file_name=final,
            download_name=download,
            finished_at=timezone.now(),
        )
    return ExportJob.objects.get(pk=job.pk)


def fail_stale(now: dt.datetime, after: dt.timedelta = STALE_AFTER) -> int:
    """Mark running jobs without a heartbeat for `after` as failed: their process has gone."""
    return ExportJob.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=now - after).update(
        status=JobStatus.FAILED,
        error=_("Interrupted: the process running the export stopped. Please ask again."),
        finished_at=now,
    )


def requeue_lost(now: dt.datetime, after: dt.timedelta = STALE_AFTER) -> int:
    """Enqueue again jobs still queued after `after`: their task was lost (a Redis flushed, a
    send after commit that failed). Harmless if it was only slow: the claim runs a job once."""
    lost = list(
        ExportJob.objects.filter(status=JobStatus.QUEUED, created_at__lt=now - after).values_list(
            "pk", flat=True
        )
    )
    for job_id in lost:
        enqueue(run_export, job_id)
    return len(lost)


def check_stale(slot: dt.datetime) -> str:
    """The scheduled check (every 5 minutes): interrupted jobs failed, lost ones re-enqueued."""
    now = timezone.now()
    failed = fail_stale(now)
    requeued = requeue_lost(now)
    return f"{failed} interrupted export(s) failed, {requeued} lost one(s) enqueued again"


def jobs_for_user(user: AnyUser | None) -> QuerySet[ExportJob]:
    """The jobs a user may follow and download: their own; the campaign office: every one."""
    if user is None or not user.is_authenticated:
        return ExportJob.objects.none()
    if role_of(user) == Role.OFFICE:
        return ExportJob.objects.all()
    return ExportJob.objects.filter(requested_by=user)


def get_job_for_user(user: AnyUser | None, pk: int | str) -> ExportJob:
    try:
        return jobs_for_user(user).get(pk=int(pk))
    except (ExportJob.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such export.")) from exc
