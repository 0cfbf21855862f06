"""Periodic jobs of the assistance rolls (civgrid.scheduling.registry)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from civgrid.assistance.checks import due_by_worker
from civgrid.notices import events
from civgrid.scheduling.registry import register

# A second reminder when this few days of the period are left.
LATE_DAYS = 14


def checks_due(slot: dt.datetime) -> str:
    """Tell each grid worker how many check visits their grids still need this period: once
    when the period starts (or the job first sees them) and once in its last two weeks."""
    today = timezone.localdate(slot)
    sent = 0
    found = due_by_worker(today)
    with transaction.atomic():
        for worker, items in found.items():
            if worker.user is None or not items:
                continue
            period = items[0].period
            late = period.days_left(today) <= LATE_DAYS
            sent += events.notify(
                "assist_check_due",
                [worker.user],
                now=slot,
                slot=f"assistcheck:{period.label}:{'late' if late else 'start'}",
                data={"count": len(items), "period": period.label},
            )
    households = sum(len(items) for items in found.values())
    return f"{sent} reminder(s) to {len(found)} grid worker(s), {households} check(s) due"


register("assistance.checks_due", func="civgrid.assistance.schedule.checks_due", at="08:10")
