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


# --- campaigns, groups, checks and hidden dangers -------------------------------------------


class Campaign(models.Model):
    """An inspection campaign (专项检查), e.g. winter fire safety, over one region's venues."""

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "territory.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The district (or street) whose enterprises are checked."),
    )
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("inspection campaign")
        verbose_name_plural = _("inspection campaigns")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name


class InspectionGroup(models.Model):
    """An inspection group (检查组) of staff and volunteers."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=50)
    members = models.ManyToManyField(
        "org.Person", verbose_name=_("members"), related_name="safety_groups"
    )

    class Meta:
        verbose_name = _("inspection group")
        verbose_name_plural = _("inspection groups")
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="safety_group_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """An enterprise given to a group in a campaign (分组包干), in the group's order of work."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assignments")
    group = models.ForeignKey(InspectionGroup, on_delete=models.CASCADE, related_name="assignments")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="safety_assignments"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["group", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise"], name="safety_one_group_per_enterprise"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.enterprise_id}→{self.group_id}"


class SafetyCheck(models.Model):
    """One check of an enterprise (安全检查记录), item by item; sent once from the phone."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="checks")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="safety_checks"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checker_name = models.CharField(_("checked by"), max_length=50)
    checked_at = models.DateTimeField(_("checked at"), db_index=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The phone's key for this check: a resend gets the first one back (outbox.js).
    client_key = models.CharField(max_length=100, blank=True, default="", editable=False)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("safety check")
        verbose_name_plural = _("safety checks")
        ordering = ["-checked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["checked_by", "client_key"],
                condition=~models.Q(client_key=""),
                name="safety_check_client_key_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}@{self.checked_at:%Y-%m-%d}"


class ItemResult(models.Model):
    safety_check = models.ForeignKey(SafetyCheck, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField()
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["safety_check", "item__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["safety_check", "item"], name="safety_one_result_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{'pass' if self.passed else 'fail'}"


class Hazard(models.Model):
    """A hidden danger (隐患): a failed item, put on the ledger as exactly one case.

    The case carries the whole rectification workflow (assigned to the regulating unit with
    the item's deadline, fixed, re-inspected = verified, crossed off); this row only links
    the case to the enterprise, the check and the item (docs/safety.md)."""

    safety_check = models.ForeignKey(SafetyCheck, on_delete=models.PROTECT, related_name="hazards")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="hazards"
    )
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("hazard grade"), max_length=10, choices=Grade.choices)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="safety_hazard"
    )
    found_at = models.DateTimeField(_("found at"))

    class Meta:
        verbose_name = _("hidden danger")
        verbose_name_plural = _("hidden dangers")
        ordering = ["-found_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise_id}:{self.item_id}"


def interview_path(instance: Interview, filename: str) -> str:
    return f"safety/interviews/{instance.enterprise_id}/{filename}"


class Interview(models.Model):
    """A warning interview (约谈) of an enterprise with overdue or repeated hidden dangers:
    who attended, what was found, the commitments and their dates, the signed record."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    held_on = models.DateField(_("held on"))
    attendees = models.CharField(_("attendees"), max_length=255)
    findings = models.TextField(_("what was found"))
    commitments = models.TextField(_("commitments and their dates"))
    follow_up_on = models.DateField(_("follow-up check on"))
    record = models.FileField(_("signed record"), upload_to=interview_path, max_length=255)
    record_sha256 = models.CharField(max_length=64)
    hazards = models.ManyToManyField(Hazard, verbose_name=_("hidden dangers"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("warning interview")
        verbose_name_plural = _("warning interviews")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise_id}@{self.held_on}"
