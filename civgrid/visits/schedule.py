"""Periodic jobs of the visits (civgrid.scheduling.registry)."""

from __future__ import annotations

import datetime as dt

from civgrid.scheduling.registry import register
from civgrid.visits.plans import due_plans


def plans_falling_due(slot: dt.datetime) -> str:
    """Which plans still have households to visit this period (the notices send them on)."""
    found = due_plans(slot)
    households = sum(len(item.household_ids) for item in found)
    return f"{len(found)} plan(s) with {households} household(s) still to visit"


register("visits.plans_due", func="civgrid.visits.schedule.plans_falling_due", at="08:00")
