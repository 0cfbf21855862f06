"""Volunteers (志愿服务): the register, teams, activities, attendance and service hours.

Facts about one row live here; every change goes through civgrid.volunteers.actions; the rules
of hours and star levels are plain functions in civgrid.volunteers.hours. A volunteer's hours
are the sum of their `HoursCredit` rows, which are written once and never edited or deleted:
a correction is a new row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civgrid.cases.models import mask_phone
from civgrid.lib.records import AppendOnly
from civgrid.territory.models import Region


class ServiceCategory(models.Model):
    """A service category (服务类别): civilized traffic, environment, elderly care…"""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A volunteer team (志愿服务队), e.g. 七一路街道巾帼志愿服务队, in a region."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="teams"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The street, community or grid the team belongs to."),
    )
    leader = models.ForeignKey(
        "Volunteer",
        verbose_name=_("team leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party", _("Party member (中共党员)")
    LEAGUE_MEMBER = "league", _("League member (共青团员)")
    MASSES = "masses", _("Masses (群众)")


class Volunteer(models.Model):
    """A registered volunteer (注册志愿者), e.g. a 道德文明使者.

    The ID number is checked with the GB 11643 check digit and shown in full to the office only.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval (待审核)")
        ACTIVE = "active", _("Active (在册)")
        REJECTED = "rejected", _("Rejected (未通过)")
        LEFT = "left", _("Left (已退出)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
    )
    name = models.CharField(_("real name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=32)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("community or grid"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    availability = models.CharField(_("availability"), max_length=100, blank=True)
    political_status = models.CharField(
        _("political status"),
        max_length=10,
        choices=PoliticalStatus.choices,
        default=PoliticalStatus.MASSES,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    self_registered = models.BooleanField(_("registered themselves"), default=False)
    registered_at = models.DateTimeField(_("registered at"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return self.name

    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def masked_id_number(self) -> str:
        """4116**********123X: the first four and last four characters."""
        n = self.id_number
        return n[:4] + "*" * (len(n) - 8) + n[-4:] if len(n) > 8 else "*" * len(n)


class Activity(models.Model):
    """A volunteer service activity (志愿服务活动): what, where, when and how many places.

    Volunteers check in and out by scanning its QR code, which carries `code`.
    """

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published (已发布)")
        CANCELLED = "cancelled", _("Cancelled (已取消)")

    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("grid or community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    site = models.ForeignKey(
        "territory.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    standard = models.ForeignKey(
        "standards.Standard",
        verbose_name=_("campaign standard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("place"), max_length=200)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("check-in radius (m)"), default=300)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    places = models.PositiveIntegerField(_("places"))
    max_hours = models.DecimalField(
        _("hours cap"),
        max_digits=5,
        decimal_places=2,
        help_text=_("At most this many hours are credited to one person (default: its length)."),
    )
    # The token of the activity's QR code: a check-in must carry it.
    code = models.CharField(_("check-in code"), max_length=32, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    client_key = models.CharField(max_length=100, blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["region", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def length_hours(self) -> Decimal:
        return Decimal(int((self.ends_at - self.starts_at).total_seconds())) / Decimal(3600)

    def is_past(self, now: dt.datetime) -> bool:
        return self.ends_at <= now


class Participation(models.Model):
    """A volunteer's part in one activity (报名与签到): sign-up, check-in, check-out and the
    organiser's confirmation. Flags list what was out of place or out of time."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    signed_up_at = models.DateTimeField(_("signed up at"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    check_in_longitude = models.FloatField(null=True, blank=True)
    check_in_latitude = models.FloatField(null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    check_out_longitude = models.FloatField(null=True, blank=True)
    check_out_latitude = models.FloatField(null=True, blank=True)
    # The phone's idempotency keys (the offline outbox may send a scan twice).
    check_in_key = models.CharField(max_length=100, blank=True, default="", editable=False)
    check_out_key = models.CharField(max_length=100, blank=True, default="", editable=False)
    # e.g. ["check_in_far", "check_out_by_organiser"]: shown to the organiser who confirms.
    flags = models.JSONField(default=list, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["activity", "signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"], name="participation_once_per_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} @ {self.activity_id}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class HoursCredit(AppendOnly):
    """Service hours credited to a volunteer (服务时长记录), or a correction of them.

    `start`/`end` are the credited interval (for the no-overlap rule); a correction has none.
    """

    class Kind(models.TextChoices):
        CREDIT = "credit", _("Credit (记录)")
        CORRECTION = "correction", _("Correction (更正)")

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="credits"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="credits"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    credited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    credited_by_name = models.CharField(max_length=100, blank=True)
    credited_at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("hours credit")
        verbose_name_plural = _("hours credits")
        ordering = ["credited_at", "id"]
        indexes = [models.Index(fields=["volunteer", "credited_at"])]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.hours} h"


class VolunteerEvent(AppendOnly):
    """One step in the volunteer side's history (志愿服务日志): who did what, when."""

    action = models.CharField(_("action"), max_length=30)
    volunteer = models.ForeignKey(
        Volunteer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("at"), db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("volunteer event")
        verbose_name_plural = _("volunteer events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} @ {self.created_at:%Y-%m-%d %H:%M}"
