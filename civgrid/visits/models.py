"""Households and visits (入户走访): who lives in a grid, who visited them, and visit plans.

Facts about one row live here; every change goes through civgrid.visits.actions, and the
rules of plans (periods, due, missed, coverage) are plain functions in civgrid.visits.plans.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civgrid.territory.models import Region

# The household flags a plan can select on, in the order pages show them.
FLAG_LABELS = {
    "aged_80_plus": _("aged 80+ (80岁以上)"),
    "living_alone": _("living alone (独居)"),
    "low_income": _("low income (低保)"),
    "disabled": _("disabled (残疾)"),
}
FLAGS = tuple(FLAG_LABELS)


class Household(models.Model):
    """A household (住户) in a grid, as the grid worker's register lists it (一户一档)."""

    grid = models.ForeignKey(
        Region,
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="household_set",
        limit_choices_to={"level": Region.Level.GRID},
    )
    code = models.CharField(_("household code"), max_length=40, unique=True)
    address = models.CharField(_("address"), max_length=255)
    head_name = models.CharField(_("head of household"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    residents_count = models.PositiveSmallIntegerField(_("residents"), default=1)
    aged_80_plus = models.BooleanField(FLAG_LABELS["aged_80_plus"], default=False)
    living_alone = models.BooleanField(FLAG_LABELS["living_alone"], default=False)
    low_income = models.BooleanField(FLAG_LABELS["low_income"], default=False)
    disabled = models.BooleanField(FLAG_LABELS["disabled"], default=False)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("household")
        # Context: the project catalog already has "households" as a count (户数) of a grid.
        verbose_name_plural = pgettext_lazy("household register", "households")
        ordering = ["code"]
        indexes = [models.Index(fields=["grid", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.address}"

    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[f]) for f in FLAGS if getattr(self, f)]

    def masked_phone(self) -> str:
        """The number with its middle hidden, for those who need not call the household."""
        phone = self.phone
        if len(phone) < 7:
            return "*" * len(phone)
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


class Visit(models.Model):
    """One visit to a household (入户走访记录): who, when, what was said."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    visitor_name = models.CharField(_("visitor"), max_length=50)
    visited_at = models.DateTimeField(_("visited at"), db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    # The device's key for this visit: a phone that sends it twice gets the first one back.
    client_key = models.CharField(max_length=100, blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("recorded at"))
    # Problems raised in the visit, put on the ledger through civgrid.cases.reporting.report_case.
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("problems raised"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["visited_by", "client_key"],
                condition=~models.Q(client_key=""),
                name="visit_client_key_per_user",
            )
        ]
        indexes = [models.Index(fields=["household", "visited_at"])]

    def __str__(self) -> str:
        return f"{self.household.code} @ {self.visited_at:%Y-%m-%d}"


class VisitPlan(models.Model):
    """A recurring visit plan (走访计划): every household with these flags, once per period.

    E.g. "every household with a resident over 80, once a quarter". A household is in the plan
    when it is active, inside `region` (if given) and has every flag the plan asks for.
    """

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly (每月)")
        QUARTERLY = "quarterly", _("Quarterly (每季度)")
        HALF_YEARLY = "half_yearly", _("Half-yearly (每半年)")
        YEARLY = "yearly", _("Yearly (每年)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    aged_80_plus = models.BooleanField(FLAG_LABELS["aged_80_plus"], default=False)
    living_alone = models.BooleanField(FLAG_LABELS["living_alone"], default=False)
    low_income = models.BooleanField(FLAG_LABELS["low_income"], default=False)
    disabled = models.BooleanField(FLAG_LABELS["disabled"], default=False)
    region = models.ForeignKey(
        Region,
        verbose_name=_("only in region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for the whole district."),
    )
    active_from = models.DateField(_("active from"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def flags(self) -> list[str]:
        return [f for f in FLAGS if getattr(self, f)]

    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[f]) for f in self.flags]
