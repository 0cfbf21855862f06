"""Territory: the region tree (区 → 街道 → 片区 → 网格) and sites (点位)."""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A node of the region tree (行政区划/网格). Grids are the leaves that carry polygons.

    The tree's root is a district, or a city above several districts (一市多区): an office that
    belongs to a region sees what lies under it (civgrid/org/scope.py).

        `path` is a materialized path of ancestor ids ("/1/4/17/") so "everything under this 片区"
        is one indexed prefix query instead of a recursive walk.
    """

    class Level(models.IntegerChoices):
        CITY = 0, _("City (市)")
        DISTRICT = 1, _("District (区)")
        STREET = 2, _("Township / street (乡镇/街道)")
        AREA = 3, _("Area (片区)")
        GRID = 4, _("Grid (网格)")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    geometry = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), default=0)
    residents = models.PositiveIntegerField(_("residents"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, then keep the materialized paths right: this row's and, when it moved, those
        of its whole subtree (grids' paths decide who sees which case)."""
        with transaction.atomic():
            stored = (
                type(self).objects.filter(pk=self.pk).values_list("path", flat=True).first()
                if self.pk is not None
                else None
            )
            super().save(*args, **kwargs)
            parent_path = (
                type(self).objects.values_list("path", flat=True).get(pk=self.parent_id)
                if self.parent_id is not None
                else "/"
            )
            path = f"{parent_path}{self.pk}/"
            if path != stored:
                type(self).objects.filter(pk=self.pk).update(path=path)
                if stored:
                    # One UPDATE moves the subtree: new prefix + the rest of each old path.
                    type(self).objects.filter(path__startswith=stored).exclude(pk=self.pk).update(
                        path=Concat(Value(path), Substr("path", len(stored) + 1))
                    )
            self.path = path

    def clean(self) -> None:
        """A parent one level up, never the region itself or one of its descendants."""
        if self.parent is None:
            if self.level not in (self.Level.CITY, self.Level.DISTRICT):
                raise ValidationError({"parent": _("Only a city or a district has no parent.")})
            return
        if self.parent.level != self.level - 1:
            raise ValidationError(
                {"parent": _("The parent must be exactly one level above this region.")}
            )
        if self.pk is not None and f"/{self.pk}/" in self.parent.path:
            raise ValidationError({"parent": _("A region cannot be moved under itself.")})

    @property
    def ancestor_ids(self) -> list[int]:
        """The ids on this region's path from the root down to itself."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def district(self) -> Region | None:
        """The district (区) this region lies in, itself when it is one; None for a city."""
        if self.level == self.Level.DISTRICT:
            return self
        if self.level == self.Level.CITY:
            return None
        return (
            type(self).objects.filter(pk__in=self.ancestor_ids, level=self.Level.DISTRICT).first()
        )

    @property
    def is_grid(self) -> bool:
        return self.level == self.Level.GRID

    @cached_property
    def shape(self):  # type: ignore[no-untyped-def]
        from civgrid.lib.geometry import parse_polygon

        return parse_polygon(self.geometry) if self.geometry else None

    def geometry_json(self) -> str:
        return json.dumps(self.geometry or {}, ensure_ascii=False)


class Site(models.Model):
    """A site (点位) where the evaluation standards are checked, of a typed kind."""

    class Kind(models.TextChoices):
        MAIN_ROAD = "main_road", _("Main road (主次干道)")
        BACK_ALLEY = "back_alley", _("Back alley (背街小巷)")
        URBAN_VILLAGE = "urban_village", _("Urban village (城中村)")
        MARKET = "market", _("Market (农贸市场)")
        COMMUNITY = "community", _("Residential community (社区/小区)")
        SCHOOL_SURROUNDINGS = "school", _("School surroundings (学校周边)")
        SERVICE_WINDOW = "service_window", _("Service window (窗口单位)")
        PARK = "park", _("Park / square (公园广场)")
        ENTERPRISE = "enterprise", _("Enterprise (企业)")
        NINE_SMALL = "nine_small", _("'Nine small' place (九小场所)")
        TRANSPORT_HUB = "transport", _("Station / transport hub (车站)")
        HOSPITAL = "hospital", _("Hospital (医院)")
        PUBLIC_TOILET = "toilet", _("Public toilet (公厕)")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    grid = models.ForeignKey(
        Region,
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="sites",
        limit_choices_to={"level": Region.Level.GRID},
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
