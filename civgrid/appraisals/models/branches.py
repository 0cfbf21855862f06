"""The party-branch register (党支部名册): the subjects of the 五星级党支部 scheme."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civgrid.cases.models import mask_phone


class PartyBranch(models.Model):
    """A party branch (党支部), the subject of the 五星级党支部 scheme: the register offices keep
    and import from Excel. It lies in a region (a grid, 片区, street or the district), which
    decides which office sees it (civgrid.org.scope)."""

    class Kind(models.TextChoices):
        ORGAN = "organ", _("Government organ (机关)")
        SCHOOL = "school", _("School (学校)")
        VILLAGE = "village", _("Village / community (村社区)")
        TWO_NEW = "two_new", _("New economic and social organisation (两新)")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, db_index=True)
    parent_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("parent committee's unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_branches",
        help_text=_(
            "The unit or township/street office whose party committee reviews the branch (审查)."
        ),
    )
    parent_committee = models.CharField(
        _("parent party committee"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 七一路街道党工委"),
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("own unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_branches",
        help_text=_("The unit the branch belongs to; its people may not score it at acceptance."),
    )
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    secretary_phone = models.CharField(_("secretary's phone"), max_length=32, blank=True)
    member_count = models.PositiveIntegerField(_("members"), default=0)
    region = models.ForeignKey(
        "territory.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="party_branches",
    )
    fillers = models.ManyToManyField(
        "org.Person",
        verbose_name=_("who fill its self-assessment"),
        blank=True,
        related_name="party_branches_filled",
        help_text=_("The people (支部联络员) who fill and submit the branch's self-assessment."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("party branch")
        verbose_name_plural = _("party branches")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def masked_phone(self) -> str:
        """The secretary's phone as lists show it (138****5678), as Case.masked_phone."""
        return mask_phone(self.secretary_phone)
