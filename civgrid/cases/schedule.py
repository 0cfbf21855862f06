"""Periodic jobs of the ledger (civgrid.scheduling.registry)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from civgrid.cases.models import Case
from civgrid.cases.photos import sweep_media
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


def sweep_orphan_files(slot: dt.datetime) -> str:
    """Uploaded files no row names, older than an hour (a photo whose action rolled back or
    whose process was killed): removed, as `civgrid sweep-media` does."""
    removed = sweep_media(now=slot, min_age=dt.timedelta(hours=1), dry_run=False)
    return f"{len(removed)} orphan file(s) removed"


register("cases.overdue", func="civgrid.cases.schedule.overdue_summary", at="08:30")
register("cases.sweep_media", func="civgrid.cases.schedule.sweep_orphan_files", at="03:17")
