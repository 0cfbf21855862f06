"""Safety checklists (安全检查表) per venue kind, in versioned editions.

An edition is imported from the office's Excel sheet beside the ones stored, like the
evaluation framework's editions (civgrid/standards): exactly one is current, older ones stay
so a check made against them still reads right. Each item says which venue kinds it applies to,
the hazard grade if it fails (一般隐患 / 重大隐患) and the rectification deadline rule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    """The grade of a hidden danger (隐患等级) a failed item is."""

    GENERAL = "general", _("General hazard (一般隐患)")
    MAJOR = "major", _("Major hazard (重大隐患)")


# The deadline a failed item gets when its row gives none, in working days by grade. A major
# hazard takes longer to rectify (works, closing a part of the premises) but is supervised
# closely; a general one is fixed within the week.
DEFAULT_DEADLINE_WORKDAYS = {Grade.GENERAL: 5, Grade.MAJOR: 20}


class Checklist(models.Model):
    """One edition of the safety checklists (检查表版本)."""

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("Short unique code of the edition, e.g. 2026冬春."),
    )
    name = models.CharField(_("name"), max_length=200)
    is_current = models.BooleanField(_("current"), default=False)
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_name = models.CharField(_("source file"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("safety checklist")
        verbose_name_plural = _("safety checklists")
        ordering = ["-imported_at", "-pk"]
        constraints = [
            # "Exactly one current": at most one row carries the flag; make_current moves it.
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="safety_one_current_checklist",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @classmethod
    def current(cls) -> Checklist | None:
        return cls.objects.filter(is_current=True).first()


class ChecklistItem(models.Model):
    """One thing to check (检查项), e.g. "灭火器在有效期内", with what failing it means."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=32)
    section = models.CharField(_("section"), max_length=50)
    text = models.CharField(_("item"), max_length=255)
    # Venue kinds (civgrid.enterprises.models.Kind values) the item applies to; empty: all.
    kinds = models.JSONField(_("venue kinds"), default=list, blank=True)
    grade = models.CharField(_("hazard grade"), max_length=10, choices=Grade.choices)
    deadline_workdays = models.PositiveSmallIntegerField(_("rectification deadline (working days)"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="safety_item_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds
