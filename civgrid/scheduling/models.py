from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    # The job ran and found something the office must act on (civgrid.scheduling.registry.Attention).
    ATTENTION = "attention", _("Needs attention")


class ScheduledRun(models.Model):
    """One slot of one periodic job (定时任务运行记录): inserted by the scheduler before the task is
    enqueued, so the unique (job, slot) key is what makes each slot run once."""

    job = models.CharField(_("job"), max_length=100)
    slot = models.DateTimeField(_("slot"))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    enqueued_at = models.DateTimeField(_("enqueued at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    # 2 after a dead worker's run was queued again (civgrid.scheduling.schedule).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    result = models.TextField(_("result"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-slot", "job"]
        constraints = [
            # Two schedulers, or one restarted, insert the same slot at most once.
            models.UniqueConstraint(fields=["job", "slot"], name="scheduling_run_once_per_slot"),
        ]
        indexes = [models.Index(fields=["status", "-slot"], name="scheduling_run_status_idx")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
