"""Appraisal schemes (考评方案): versioned criteria trees, their review levels and grading rule.

One engine for every graded, yearly evaluation civgrid runs: 五星级党支部 first, the safety grid
workers' yearly grades, 文明单位 and 星级文明户 as further schemes of data, not code.

- `Scheme`: one version of a scheme (code + version). A draft is edited (or re-imported);
  a published version is frozen, since cycles score against it; a change is a new version.
- The tree: `Dimension` (a star 星 or a dimension 维度, with its pass mark when the rule is
  stars) → `Criterion` (考评内容) → `ScoringPoint` (评分要点: max points, how it is evidenced,
  whether it is a veto item 一票否决).
- `ReviewLevel`: the levels a subject's file passes through, in order (自评 → 审查 → 考评验收),
  each done by whom (the subject itself, its parent unit, a named unit, the acceptance group,
  the office).
- `Band`: the grades by score of a "bands" scheme (90/80/70/60 → 优秀/良好/合格/不合格).
- The grade is computed by civgrid.appraisals.grading from the scores, never typed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civgrid.lib.records import AppendOnly


class SubjectKind(models.TextChoices):
    """What a scheme appraises (考评对象)."""

    PARTY_BRANCH = "party_branch", _("Party branch (党支部)")
    GRID_WORKER = "grid_worker", _("Grid worker (网格员)")
    UNIT = "unit", _("Unit (单位)")
    HOUSEHOLD = "household", _("Household (家庭)")
    VOLUNTEER = "volunteer", _("Volunteer (志愿者)")


class GradingRule(models.TextChoices):
    STARS = "stars", _("Stars: a star is earned at its pass mark (星级)")
    BANDS = "bands", _("Score bands (等次)")


class Scheme(models.Model):
    """One version of an appraisal scheme (考评方案)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    code = models.CharField(_("code"), max_length=32, help_text=_("e.g. WXDZB (五星级党支部)."))
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    subject_kind = models.CharField(_("subject kind"), max_length=20, choices=SubjectKind.choices)
    rule = models.CharField(_("grading rule"), max_length=10, choices=GradingRule.choices)
    quota_rank = models.PositiveSmallIntegerField(
        _("quota: grade"),
        null=True,
        blank=True,
        help_text=_(
            "The grade a quota limits: the number of stars, or for bands the band's place "
            "counted from the top (1 = the best band). Empty: no quota."
        ),
    )
    quota_percent = models.DecimalField(
        _("quota: at most %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("At most this share of a cycle's subjects may reach the quota grade."),
    )
    region = models.ForeignKey(
        "territory.Region",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appraisal_schemes",
        help_text=_("The district whose office keeps the scheme; empty for the whole city."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appraisal scheme")
        verbose_name_plural = _("appraisal schemes")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="appraisals_scheme_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code} v{self.version})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Dimension(models.Model):
    """A star (星) or dimension (维度) of a scheme, the top of its tree."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Stars: the points at which the star is earned."),
    )

    class Meta:
        verbose_name = _("star / dimension")
        verbose_name_plural = _("stars / dimensions")
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="appraisals_dimension_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """A criterion (考评内容) of a star or dimension."""

    dimension = models.ForeignKey(
        Dimension,
        verbose_name=_("star / dimension"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=300)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["dimension", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="appraisals_criterion_code"),
        ]

    def __str__(self) -> str:
        return self.name


class EvidenceKind(models.TextChoices):
    """What a subject attaches to show a scoring point is met (佐证材料)."""

    NONE = "none", _("None (scored on site)")
    DOCUMENT = "document", _("Document")
    PHOTO = "photo", _("Photo")
    ANY = "any", _("Document or photo")


class ScoringPoint(models.Model):
    """A scoring point (评分要点): what is scored, out of how many points, and how shown."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="points"
    )
    scheme = models.ForeignKey(  # denormalised: codes are unique in a scheme, scores name them
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="points"
    )
    code = models.CharField(_("code"), max_length=32)
    text = models.TextField(_("scoring point"))
    max_points = models.DecimalField(
        _("max points"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    evidence = models.CharField(
        _("how evidenced"), max_length=300, blank=True, help_text=_("e.g. 会议记录、照片")
    )
    evidence_kind = models.CharField(
        _("evidence kind"), max_length=10, choices=EvidenceKind.choices, default=EvidenceKind.ANY
    )
    is_veto = models.BooleanField(
        _("veto item (一票否决)"),
        default=False,
        help_text=_("When this point is failed, the subject gets the lowest grade whatever else."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("scoring point")
        verbose_name_plural = _("scoring points")
        ordering = ["criterion", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="appraisals_point_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"


class ReviewLevel(models.Model):
    """A level a subject's file passes through (自评, 审查, 考评验收…), in `order`."""

    class By(models.TextChoices):
        SUBJECT = "subject", _("The subject itself (自评)")
        PARENT = "parent", _("The subject's parent unit or committee (上级审查)")
        UNIT = "unit", _("A named unit")
        PANEL = "panel", _("The acceptance group of the cycle (考评验收组)")
        OFFICE = "office", _("The office")

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="levels"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    by = models.CharField(_("done by"), max_length=10, choices=By.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only when done by a named unit (e.g. the organisation department)."),
    )

    class Meta:
        verbose_name = _("review level")
        verbose_name_plural = _("review levels")
        ordering = ["scheme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "order"], name="appraisals_level_order"),
        ]

    def __str__(self) -> str:
        return self.name


class Band(models.Model):
    """A grade of a bands scheme (等次): reached from `min_score` points up."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="bands"
    )
    label = models.CharField(_("grade"), max_length=50)
    min_score = models.DecimalField(_("from score"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["scheme", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "label"], name="appraisals_band_label"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.min_score}"


class SchemeEvent(AppendOnly):
    """What happened to a scheme, by whom and when (imported, published, new version…);
    never edited."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what"), max_length=20)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_name = models.CharField(_("by (name)"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("scheme event")
        verbose_name_plural = _("scheme events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
