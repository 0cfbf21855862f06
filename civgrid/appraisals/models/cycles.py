"""The yearly cycle (考评周期): enrolments, their scores and evidence, the acceptance group,
objections during the public notice, and the immutable history of every step."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civgrid.appraisals.models.branches import PartyBranch
from civgrid.appraisals.models.schemes import EvidenceKind, Scheme, ScoringPoint
from civgrid.lib.records import AppendOnly


class Cycle(models.Model):
    """A yearly round (年度考评) of a published scheme in a district: subjects are enrolled,
    assessed level by level, graded, publicly announced (公示) and their results fixed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Assessing")
        PUBLICITY = "publicity", _("Public notice (公示)")
        FIXED = "fixed", _("Results fixed")

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="cycles"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        "territory.Region",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appraisal_cycles",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    publicity_days = models.PositiveSmallIntegerField(_("public notice (working days)"), default=5)
    publicity_ends_at = models.DateTimeField(_("public notice ends at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    fixed_at = models.DateTimeField(_("results fixed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appraisal cycle")
        verbose_name_plural = _("appraisal cycles")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return self.name


class Evaluator(models.Model):
    """A member of a cycle's acceptance group (考评验收组), recorded as trained for it."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="evaluators"
    )
    person = models.ForeignKey(
        "org.Person", verbose_name=_("evaluator"), on_delete=models.PROTECT, related_name="+"
    )
    trained_on = models.DateField(_("trained on"))

    class Meta:
        verbose_name = _("evaluator")
        verbose_name_plural = _("evaluators")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="appraisals_one_evaluator"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Enrolment(models.Model):
    """A subject in a cycle (参评对象) and where its file stands.

    `level` is the order of the review level holding the file (1: the subject's own
    self-assessment). The grade is computed at acceptance and stored with the rank it came
    from; `movement` compares it with the subject's last fixed result of the same scheme."""

    class Status(models.TextChoices):
        FILLING = "filling", _("Being filled")
        REVIEW = "review", _("Under review")
        ACCEPTED = "accepted", _("Graded")
        FIXED = "fixed", _("Result fixed")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="enrolments"
    )
    branch = models.ForeignKey(
        PartyBranch,
        verbose_name=_("party branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.FILLING
    )
    level = models.PositiveSmallIntegerField(_("at level"), default=1)
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("grade rank"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=50, blank=True)
    vetoed_by = models.JSONField(_("vetoed by"), default=list, blank=True)
    previous_rank = models.PositiveSmallIntegerField(_("last year's rank"), null=True, blank=True)
    movement = models.CharField(_("movement"), max_length=10, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["cycle", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "branch"], name="appraisals_enrol_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.branch}"


class Score(models.Model):
    """The points one review level gives one scoring point of an enrolment (the level's
    current score; every change is also an AppraisalEvent)."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="scores"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    point = models.ForeignKey(
        ScoringPoint, verbose_name=_("scoring point"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    vetoed = models.BooleanField(_("veto item failed"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "level", "point"], name="appraisals_one_score"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point_id}: {self.points}"


class Evidence(models.Model):
    """A file or photo a subject attaches to a scoring point (佐证材料); files are written
    before their rows (civgrid.lib.photos for photos, a PDF check for documents)."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="evidence"
    )
    point = models.ForeignKey(
        ScoringPoint, verbose_name=_("scoring point"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to="appraisals/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name


class Objection(models.Model):
    """An objection raised during the public notice (公示异议), and what was answered."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="objections"
    )
    text = models.TextField(_("objection"))
    raised_by = models.CharField(_("raised by"), max_length=100, blank=True)
    at = models.DateTimeField(_("at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return self.text[:40]


class AppraisalEvent(AppendOnly):
    """One step of a cycle (opened, enrolled, scored, submitted, sent back, passed, graded,
    公示 started, objection, fixed…), who and when; never edited or deleted."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="events"
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("what"), max_length=20)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField(_("by (name)"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("appraisal event")
        verbose_name_plural = _("appraisal events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
