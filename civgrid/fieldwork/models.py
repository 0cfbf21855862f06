"""Patrols (网格巡查): a grid worker's walk, with its track of GPS points.

Every change goes through civgrid.fieldwork.actions; distance is computed from the points by
civgrid.fieldwork.tracks.track_length.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Patrol(models.Model):
    """One patrol (巡查) by a grid worker, from start to stop."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid worker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    worker_name = models.CharField(_("grid worker"), max_length=50)
    # Chosen by the phone when the worker taps "start", so a resent start is the same patrol
    # and the points and the stop queued after it can name it before the server has answered.
    client_key = models.CharField(max_length=100, editable=False)
    started_at = models.DateTimeField(_("started at"), db_index=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    distance_m = models.FloatField(_("distance (m)"), default=0)
    point_count = models.PositiveIntegerField(_("track points"), default=0)
    grids = models.ManyToManyField(
        "territory.Region", verbose_name=_("grids touched"), blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "client_key"], name="patrol_key_per_worker")
        ]

    def __str__(self) -> str:
        return f"{self.worker_name} {self.started_at:%Y-%m-%d %H:%M}"

    def duration(self, now: dt.datetime) -> dt.timedelta:
        return (self.ended_at or now) - self.started_at

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class TrackPoint(models.Model):
    """A GPS fix of a patrol. (patrol, recorded_at) is unique: a resent batch adds nothing."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="points")
    recorded_at = models.DateTimeField(_("recorded at"))
    longitude = models.FloatField(_("longitude"))
    latitude = models.FloatField(_("latitude"))
    accuracy = models.FloatField(_("accuracy (m)"), null=True, blank=True)

    class Meta:
        verbose_name = _("track point")
        verbose_name_plural = _("track points")
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["patrol", "recorded_at"], name="one_point_per_instant")
        ]

    def __str__(self) -> str:
        return f"{self.longitude:.6f},{self.latitude:.6f}@{self.recorded_at:%H:%M:%S}"
