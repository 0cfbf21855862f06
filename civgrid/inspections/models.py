"""Inspections (督查检查): a round of checks against the evaluation framework at sites (点位).

An `Inspection` is planned over a set of sites (chosen, or sampled per site kind the way
evaluators do), run by a team of inspectors who fill the checklist on a phone site by site
(`InspectionSite`, one `CheckResult` per applicable standard), and every failed check becomes
a ledger case (`Finding` links case ↔ standard ↔ site ↔ inspection). Changes go through
civgrid.inspections.actions; scores are computed in civgrid.inspections.scores.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SPECIAL = "special", _("Special inspection (专项检查)")
    UNANNOUNCED = "unannounced", _("Unannounced visit (明察暗访)")
    SELF_CHECK = "self_check", _("Self-check (回头看)")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned (计划中)")
    IN_PROGRESS = "in_progress", _("In progress (检查中)")
    COMPLETED = "completed", _("Completed (已完成)")


class Outcome(models.TextChoices):
    PASS = "pass", _("Pass (达标)")
    FAIL = "fail", _("Fail (不达标)")
    NOT_APPLICABLE = "not_applicable", _("Not applicable (不适用)")


class Inspection(models.Model):
    """One inspection round (检查轮次): a mock evaluation, a special check or a self-check."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    framework = models.ForeignKey(
        "standards.Framework",
        verbose_name=_("evaluation framework"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    region = models.ForeignKey(
        "territory.Region",
        verbose_name=_("region sampled"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspection team"),
        blank=True,
        related_name="inspection_teams",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The plan can be re-derived: the same seed and sizes over the same sites draw the same
    # sample (see sampling.draw_sample). Null seed: the sites were chosen by hand.
    sampling_seed = models.BigIntegerField(_("sampling seed"), null=True, blank=True)
    sample_sizes = models.JSONField(
        _("sample size per site kind"), default=dict, blank=True
    )  # {"market": 3, "main_road": "all"}
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        """Results may still be recorded (or changed)."""
        return self.status != Status.COMPLETED


class InspectionSite(models.Model):
    """A site (点位) on an inspection's list, and the inspector's visit to it."""

    class State(models.TextChoices):
        PENDING = "pending", _("To check (待检查)")
        DONE = "done", _("Done (已检查)")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="sites")
    site = models.ForeignKey(
        "territory.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PENDING
    )
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visited by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Where the phone was when the inspector first answered (navigator.geolocation).
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    accuracy = models.FloatField(_("accuracy (m)"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspected site")
        verbose_name_plural = _("inspected sites")
        ordering = ["inspection", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "site"], name="inspection_site_once")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.site_id}"


class CheckResult(models.Model):
    """The outcome of one standard at one inspected site (检查结果): pass, fail or N/A."""

    inspection_site = models.ForeignKey(
        InspectionSite, on_delete=models.CASCADE, related_name="results"
    )
    standard = models.ForeignKey(
        "standards.Standard",
        verbose_name=_("evaluation standard"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.ForeignKey(
        "standards.ChecklistQuestion",
        verbose_name=_("question failed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    fixed_on_spot = models.BooleanField(_("fixed on the spot"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"))
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        ordering = ["inspection_site", "standard__order", "standard__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection_site", "standard"], name="one_result_per_standard_and_site"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection_site_id}:{self.standard_id}={self.outcome}"


class CheckAnswer(models.Model):
    """Every answer given, in order (检查记录): a re-answer changes the result, not the past."""

    result = models.ForeignKey(CheckResult, on_delete=models.CASCADE, related_name="answers")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["answered_at", "id"]
        verbose_name = _("check answer")
        verbose_name_plural = _("check answers")

    def __str__(self) -> str:
        return f"{self.result_id}={self.outcome}@{self.answered_at:%Y-%m-%d %H:%M}"


class Finding(models.Model):
    """A failed check on the ledger (检查发现问题): the case ↔ standard ↔ site ↔ inspection.

    Reports group indicators by standard through `case__finding__standard`.
    """

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="finding"
    )
    standard = models.ForeignKey(
        "standards.Standard",
        verbose_name=_("evaluation standard"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    site = models.ForeignKey(
        "territory.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="findings"
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="findings"
    )
    check_result = models.OneToOneField(
        CheckResult, on_delete=models.PROTECT, related_name="finding"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.standard_id}@{self.site_id}"
