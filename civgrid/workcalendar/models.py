"""The office's corrections to the official working-day calendar (工作日历调整)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """One day whose working status differs from (or is missing in) the bundled calendar.

    Used for a year the library does not know yet, a local holiday, or a late correction.
    """

    day = models.DateField(_("day"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {'workday' if self.is_workday else 'holiday'}"
