"""Factories for the visits tests (plain functions with keyword overrides)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from civgrid.visits.models import Household, Visit, VisitPlan

_seq = itertools.count(1)
TZ = timezone.get_default_timezone()


def local(*args: int) -> dt.datetime:
    """An aware datetime in Asia/Shanghai."""
    return dt.datetime(*args, tzinfo=TZ)  # type: ignore[misc]


def make_household(grid, **kw: Any) -> Household:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "code": f"H{n:05d}",
        "address": f"国槐街{n}号",
        "head_name": f"户主{n}",
        "phone": "13800000000",
        "residents_count": 2,
        "created_at": local(2024, 1, 1),
        "updated_at": local(2024, 1, 1),
    }
    defaults.update(kw)
    return Household.objects.create(grid=grid, **defaults)


def make_plan(**kw: Any) -> VisitPlan:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "name": f"走访计划{n}",
        "frequency": VisitPlan.Frequency.QUARTERLY,
        "aged_80_plus": True,
        "active_from": dt.date(2024, 1, 1),
    }
    defaults.update(kw)
    return VisitPlan.objects.create(**defaults)


def make_visit(household: Household, person, at: dt.datetime, **kw: Any) -> Visit:
    return Visit.objects.create(
        household=household,
        visited_by=person.user,
        visitor_name=person.name,
        visited_at=at,
        created_at=at,
        **kw,
    )
