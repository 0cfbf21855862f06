"""The evaluation framework (测评体系): editions of 项目 → 内容 → 标准 and their checklists.

A `Framework` is one edition of the national evaluation framework as the district uses it.
Editions are never edited in place by an import: a new edition is imported beside the old one
and made current when the office is ready (inspections default to the current edition).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from civgrid.org.models import Unit


class Framework(models.Model):
    """One edition of the evaluation framework (测评体系版本)."""

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("Short unique code of the edition, e.g. 2026."),
    )
    name = models.CharField(_("name"), max_length=200)
    edition = models.CharField(_("edition"), max_length=100, blank=True)
    is_current = models.BooleanField(
        _("current"),
        default=False,
        help_text=_("The edition inspections use by default; exactly one edition is current."),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("evaluation framework")
        verbose_name_plural = _("evaluation frameworks")
        ordering = ["-imported_at", "-pk"]
        constraints = [
            # "Exactly one current": at most one row may carry the flag; `make_current` moves it.
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="standards_one_current_framework",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @classmethod
    def current(cls) -> Framework | None:
        """The edition inspections default to, or None before any import."""
        return cls.objects.filter(is_current=True).first()

    def total_points(self) -> Decimal:
        total = self.standards.aggregate(total=models.Sum("points"))["total"]
        return total if total is not None else Decimal("0")


class Item(models.Model):
    """An evaluation item (测评项目), the top level of a framework."""

    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("evaluation item")
        verbose_name_plural = _("evaluation items")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="standards_item_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Content(models.Model):
    """An evaluation content (测评内容), the middle level: one aspect of an item."""

    item = models.ForeignKey(
        Item,
        verbose_name=_("evaluation item"),
        on_delete=models.CASCADE,
        related_name="contents",
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("evaluation content")
        verbose_name_plural = _("evaluation contents")
        ordering = ["item", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="standards_content_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Standard(models.Model):
    """An evaluation standard (测评标准): what is checked, where, for how many points, by whom."""

    content = models.ForeignKey(
        Content,
        verbose_name=_("evaluation content"),
        on_delete=models.CASCADE,
        related_name="standards",
    )
    # Denormalised from content.item.framework so per-edition queries need no joins.
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        related_name="standards",
    )
    code = models.CharField(_("code"), max_length=32)
    text = models.TextField(_("standard"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal("0"))
    site_kinds = models.JSONField(
        _("site kinds"),
        default=list,
        blank=True,
        help_text=_("Kinds of site (点位类型) where this standard is checked."),
    )
    lead_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_standards",
    )
    co_units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("co-responsible units"),
        blank=True,
        related_name="co_standards",
        through="StandardCoUnit",
    )
    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("problem category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="standards",
        help_text=_("What a failed check is filed as on the ledger."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("evaluation standard")
        verbose_name_plural = _("evaluation standards")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="standards_standard_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"

    def responsible_units(self) -> list[Unit]:
        """Lead unit first (牵头), then co-responsible units (配合) as the sheet lists them."""
        units: list[Unit] = []
        if self.lead_unit is not None:
            units.append(self.lead_unit)
        for unit in self.ordered_co_units():
            if unit not in units:
                units.append(unit)
        return units

    def ordered_co_units(self) -> list[Unit]:
        """Co-responsible units in the sheet's order (uses prefetched `co_unit_links__unit`
        when present)."""
        return [link.unit for link in self.co_unit_links.all()]

    def site_kind_labels(self) -> list[str]:
        from civgrid.territory.models import Site

        labels = dict(Site.Kind.choices)
        return [str(labels.get(kind, kind)) for kind in self.site_kinds]

    def question_texts(self) -> list[str]:
        return [q.text for q in self.questions.all()]


class StandardCoUnit(models.Model):
    """A co-responsible unit (配合单位) of a standard, in the order the sheet lists them."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="co_unit_links")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="co_standard_links")
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("co-responsible unit")
        verbose_name_plural = _("co-responsible units")
        ordering = ["standard", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "unit"], name="standards_co_unit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.standard.code} · {self.unit}"


class ChecklistQuestion(models.Model):
    """A checklist question (检查要点) an inspector answers when checking a standard."""

    standard = models.ForeignKey(
        Standard,
        verbose_name=_("evaluation standard"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("question"))

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
        ordering = ["standard", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
