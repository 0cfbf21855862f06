"""Organisation: responsible units (责任单位), people and their roles and assignments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """A responsible unit (责任单位) that receives cases (交办) and fixes them."""

    class Kind(models.TextChoices):
        DISTRICT_DEPARTMENT = "department", _("District department (区直单位)")
        TOWNSHIP = "township", _("Township / street office (乡镇办)")
        VILLAGE = "village", _("Village / community (村居)")
        PARTNER = "partner", _("Co-building unit (共建单位)")

    code = models.CharField(_("code"), max_length=32, unique=True)
    # Unique within its district (two districts both have a 城市管理局), see Meta.
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    region = models.ForeignKey(
        "territory.Region",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        limit_choices_to={"level__lte": 1},
        help_text=_(
            "The district (or city) the unit belongs to; empty for a unit of the whole installation."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                condition=models.Q(region__isnull=False),
                name="unit_name_unique_in_district",
            ),
            # NULL regions are distinct to a plain unique constraint: the whole
            # installation's units get their own.
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(region__isnull=True),
                name="unit_name_unique_installation",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICE = "office", _("Campaign office (创建办)")
    INSPECTOR = "inspector", _("Inspector (督查)")
    LEADER = "leader", _("Responsible leader (分包领导)")
    UNIT_CLERK = "unit_clerk", _("Unit clerk (责任单位联络员)")
    GRID_WORKER = "grid_worker", _("Grid worker (网格员)")
    RESIDENT = "resident", _("Resident (群众)")


class Person(models.Model):
    """A person known to civgrid, with one role and what they answer for.

    - grid worker: `regions` are the grids they patrol;
    - responsible leader: `regions` (grids or whole 片区) and `sites` they contract (分包);
    - unit clerk: `unit` is the unit whose cases they handle;
    - campaign office and inspectors: `regions` is the district (or city) they work for; none
      means the whole installation (the city office). See civgrid/org/scope.py.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="person",
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, db_index=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    regions = models.ManyToManyField(
        "territory.Region",
        verbose_name=_("assigned regions"),
        blank=True,
        related_name="people",
    )
    sites = models.ManyToManyField(
        "territory.Site",
        verbose_name=_("contracted sites"),
        blank=True,
        related_name="leaders",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def sees_everything(self) -> bool:
        return self.role in (Role.OFFICE, Role.INSPECTOR)
