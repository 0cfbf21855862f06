"""Campaign work logs (工作台账): what a unit did on a day, summed for any period.

"700 person-times, 30 machine-times, 30,000 m³ of rubbish, 1,000 billboards" — the figures a
work briefing (工作简报) prints come from these rows. An entry is never edited: a correction is a
new entry that points at the one it replaces (`corrects`), so the record keeps what was first
entered, by whom and when, and why it changed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civgrid.lib.records import ImmutableError


class ActivityKind(models.TextChoices):
    ENVIRONMENT = "environment", _("Environment clean-up (环境整治)")
    TRAFFIC = "traffic", _("Traffic order (交通秩序)")
    VOLUNTEER = "volunteer", _("Volunteer service (志愿服务)")
    PUBLICITY = "publicity", _("Publicity (宣传活动)")
    OTHER = "other", _("Other (其他)")


# The figures of an entry, in the order tables and exports show them.
FIGURES = ("person_times", "machine_times", "volume_removed", "items_installed", "activities_held")


class WorkLog(models.Model):
    """One unit's work on one day of one kind (工作记录)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="work_logs"
    )
    worked_on = models.DateField(_("date"))
    kind = models.CharField(_("activity kind"), max_length=20, choices=ActivityKind.choices)
    person_times = models.PositiveIntegerField(_("person-times (人次)"), default=0)
    machine_times = models.PositiveIntegerField(_("machine-times (台次)"), default=0)
    # Cubic metres (立方米), the unit the campaign's briefings use for rubbish cleared.
    volume_removed = models.DecimalField(
        _("volume removed (m³)"), max_digits=12, decimal_places=2, default=0
    )
    items_installed = models.PositiveIntegerField(_("items installed (块/个)"), default=0)
    activities_held = models.PositiveIntegerField(_("activities held (场次)"), default=0)
    description = models.TextField(_("description"), blank=True)
    # A correction replaces exactly one earlier entry; the replaced entry stays in the record.
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Snapshot, so the record still reads right after a person changes name.
    entered_by_name = models.CharField(_("entered by (name)"), max_length=100, blank=True)
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        verbose_name = _("work log entry")
        verbose_name_plural = _("work log entries")
        ordering = ["-worked_on", "-id"]
        indexes = [
            # The period sums: a date range, grouped by unit or kind.
            models.Index(fields=["worked_on", "unit"], name="worklog_day_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.worked_on} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("work log entries are never edited; enter a correction")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("work log entries are never deleted; enter a correction")

    @property
    def is_superseded(self) -> bool:
        return hasattr(self, "correction")
