"""The appraisals panel of the start page (待办, civgrid/todo.py): files waiting for me."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from civgrid.appraisals.models import Enrolment, ReviewLevel
from civgrid.appraisals.queries import files_waiting_for
from civgrid.org.queries import AnyUser
from civgrid.todo import Panel, PanelItem

SHOWN = 5


def files_waiting(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """Star-rating files at a level that is mine: to fill, review or score (None: no file)."""
    files = files_waiting_for(user)
    count = files.count()
    if not count:
        return None
    first: list[Enrolment] = list(
        files.select_related("branch", "cycle").order_by("cycle__year", "branch__code")[:SHOWN]
    )
    names = {
        (lv.scheme_id, lv.order): lv.name
        for lv in ReviewLevel.objects.filter(scheme__in={e.cycle.scheme_id for e in first})
    }
    items = tuple(
        PanelItem(
            e.branch.name if e.branch else str(e.pk),
            reverse("appraisals:file", args=[e.pk]),
            names.get((e.cycle.scheme_id, e.level), ""),
            "warning" if e.events.filter(kind="sent_back").exists() and e.level == 1 else "",
        )
        for e in first
    )
    return Panel(
        title=_("Star-rating files (评星材料)"),
        count=count,
        url=reverse("appraisals:cycles"),
        items=items,
        order=70,
    )
