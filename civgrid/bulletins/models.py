"""Export jobs (导出任务): a long export written to disk in chunks, with its progress.

The row is the queue as well as the record: a job is `queued` when asked for, claimed by one
runner with a conditional update (queued → running), counts `rows_done` as it writes, and ends
`done` with a file under VAR_DIR/exports (never under MEDIA: a ledger names residents) or
`failed` with the error. Only the person who asked (and the campaign office) may download it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    LEDGER_XLSX = "ledger_xlsx", _("Ledger (Excel)")
    BULLETIN_DOCX = "bulletin_docx", _("Bulletin (Word)")
    WORKLOGS_XLSX = "worklogs_xlsx", _("Work logs (Excel)")
    BRIEFING_DOCX = "briefing_docx", _("Work briefing (Word)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED})


def exports_dir() -> Path:
    return Path(settings.VAR_DIR) / "exports"


class ExportJob(models.Model):
    """One requested export and how far it has got."""

    kind = models.CharField(_("kind"), max_length=20, choices=ExportKind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    # Relative to exports_dir(); empty until the file is complete.
    file_name = models.CharField(max_length=200, blank=True)
    download_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(null=True, blank=True)
    # Bumped with every progress update: a running job whose heartbeat stops was interrupted
    # (its process ended); the scheduled check civgrid.bulletins.jobs.check_stale fails it.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The worker claims the oldest queued job.
            models.Index(fields=["status", "created_at"], name="exportjob_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))

    def path(self) -> Path | None:
        return exports_dir() / self.file_name if self.file_name else None

    def is_stale(self, now: dt.datetime, after: dt.timedelta) -> bool:
        """Running, but no progress for `after`: its process has gone."""
        beat = self.heartbeat_at or self.started_at or self.created_at
        return self.status == JobStatus.RUNNING and now - beat > after
