"""Periodic jobs of the ledger (civgrid.scheduling.registry)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from civgrid.cases.models import Case
from civgrid.cases.queries import overdue_q
from civgrid.scheduling.registry import register


def overdue_summary(slot: dt.datetime) -> str:
    """The daily count of overdue cases (超期未办结) by unit, as `civgrid overdue` lists them;
    the notices hand it to the units (civgrid.notices)."""
    by_unit = (
        Case.objects.filter(overdue_q(slot)).values("unit__code").annotate(n=Count("pk")).order_by()
    )
    counts = {row["unit__code"] or "—": row["n"] for row in by_unit}
    return f"{sum(counts.values())} overdue case(s) in {len(counts)} unit(s)"


register("cases.overdue", func="civgrid.cases.schedule.overdue_summary", at="08:30")
