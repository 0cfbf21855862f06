"""Every change to inspection campaigns (专项检查): planning, groups, dividing the venues.

Each action takes a keyword-only `actor` (the campaign office, inside its scope), runs in one
transaction and raises civgrid.cases.errors.InvalidInput / NotAllowed before writing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases.errors import InvalidInput, NotAllowed
from civgrid.enterprises.models import ENTERPRISE_KINDS, Enterprise, Kind
from civgrid.org.models import Person, Role
from civgrid.org.queries import role_of
from civgrid.org.scope import scope_of
from civgrid.safety.models import Assignment, Campaign, Checklist, Hazard, InspectionGroup
from civgrid.territory.models import Region

# How to divide the venues among groups (分组包干): by grid (each group a few whole grids), by
# kind (each group a few kinds, its members' trade), or by risk (overdue hazards and high-risk
# kinds first, dealt round so every group starts with its riskiest venues).
DIVIDE_BY = ("grid", "kind", "risk")
# Kinds where a fire kills many: crowded, sleeping or cooking premises.
HIGH_RISK_KINDS = frozenset(
    {
        Kind.ABOVE_SCALE,
        Kind.SMALL_HOTEL,
        Kind.SMALL_ENTERTAINMENT,
        Kind.SMALL_INTERNET_CAFE,
        Kind.SMALL_SCHOOL,
        Kind.SMALL_EATERY,
    }
)


def _office(actor: User) -> None:
    if role_of(actor) != Role.OFFICE:
        raise NotAllowed(_("Only the campaign office plans inspection campaigns."))


def plan_campaign(
    *, actor: User, name: str, region: Region, starts_on: dt.date, ends_on: dt.date
) -> Campaign:
    """Open a campaign over a region's enterprises, with the current checklist."""
    _office(actor)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput(_("Give the campaign a name of 1 to 100 characters."), "name")
    if not scope_of(actor).covers(region):
        raise NotAllowed(_("This region is outside your district."))
    if ends_on < starts_on:
        raise InvalidInput(_("The campaign ends before it starts."), "ends_on")
    checklist = Checklist.current()
    if checklist is None:
        raise InvalidInput(_("Import a safety checklist first."), "checklist")
    return Campaign.objects.create(
        name=name,
        region=region,
        checklist=checklist,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
        created_at=timezone.now(),
    )


def form_group(
    campaign: Campaign, *, actor: User, name: str, members: Sequence[Person]
) -> InspectionGroup:
    """An inspection group (检查组) of staff and volunteers who check on the phone."""
    _office(actor)
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise InvalidInput(_("Give the group a name of 1 to 50 characters."), "name")
    if not members:
        raise InvalidInput(_("A group needs at least one member."), "members")
    with transaction.atomic():
        if campaign.groups.filter(name=name).exists():
            raise InvalidInput(_("The campaign has a group of this name."), "name")
        group = InspectionGroup.objects.create(campaign=campaign, name=name)
        group.members.set(members)
    return group


def campaign_enterprises(campaign: Campaign) -> list[Enterprise]:
    region = campaign.region
    return list(
        Enterprise.objects.filter(is_active=True, grid__path__startswith=region.path)
        .select_related("grid")
        .order_by("grid__code", "name", "id")
    )


def _risk_key(enterprise: Enterprise, overdue: set[int], repeated: set[int]) -> tuple[int, ...]:
    return (
        0 if enterprise.pk in overdue else 1,
        0 if enterprise.pk in repeated else 1,
        0 if enterprise.kind in HIGH_RISK_KINDS else 1,
        0 if enterprise.kind in ENTERPRISE_KINDS else 1,
    )


def divide(campaign: Campaign, *, actor: User, by: str, now: dt.datetime) -> int:
    """Give every active enterprise of the campaign's region to one group; returns how many.
    Dividing again replaces the division (before checks start: a checked venue keeps its
    group)."""
    _office(actor)
    if by not in DIVIDE_BY:
        raise InvalidInput(_("Divide by grid, kind or risk."), "by")
    groups = list(campaign.groups.order_by("id"))
    if not groups:
        raise InvalidInput(_("Form the inspection groups first."), "groups")
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        kept = set(
            campaign.assignments.filter(checks__isnull=False).values_list(
                "enterprise_id", flat=True
            )
        )
        campaign.assignments.exclude(enterprise_id__in=kept).delete()
        todo = [e for e in campaign_enterprises(campaign) if e.pk not in kept]
        plan: list[tuple[InspectionGroup, Enterprise]] = []
        if by == "risk":
            open_hazards = Hazard.objects.filter(enterprise__in=todo)
            overdue = set(
                open_hazards.filter(case__due_at__lt=now, case__closed_at__isnull=True).values_list(
                    "enterprise_id", flat=True
                )
            )
            counts: dict[int, int] = {}
            for enterprise_id in open_hazards.values_list("enterprise_id", flat=True):
                counts[enterprise_id] = counts.get(enterprise_id, 0) + 1
            repeated = {pk for pk, n in counts.items() if n > 1}
            todo.sort(key=lambda e: _risk_key(e, overdue, repeated))
            plan = [(groups[i % len(groups)], e) for i, e in enumerate(todo)]
        else:
            if by == "kind":
                todo.sort(key=lambda e: (list(Kind.values).index(e.kind), e.grid.code, e.name))
            size = math.ceil(len(todo) / len(groups)) if todo else 0
            plan = [(groups[i // size], e) for i, e in enumerate(todo)] if size else []
        Assignment.objects.bulk_create(
            Assignment(campaign=campaign, group=group, enterprise=enterprise, order=i)
            for i, (group, enterprise) in enumerate(plan)
        )
    return len(plan)
