"""The assistance panels of the start page (待办, civgrid/todo.py)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.assistance import checks
from civgrid.assistance.models import Beneficiary
from civgrid.assistance.queries import beneficiaries_for_user, civil_affairs_programme_ids
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser
from civgrid.todo import Panel, PanelItem

FIRST = 5


def decisions_waiting(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """民政's proposals and ends waiting for a decision (待审批)."""
    ids = civil_affairs_programme_ids(user)
    if role != Role.UNIT_CLERK or not ids:
        return None
    waiting = (
        beneficiaries_for_user(user)
        .filter(programme_id__in=ids)
        .filter(status__in=(Beneficiary.Status.PROPOSED, Beneficiary.Status.END_PROPOSED))
        .select_related("programme")
        .order_by("updated_at")
    )
    count = waiting.count()
    items = tuple(
        PanelItem(
            f"{b.name} · {b.programme.name}",
            reverse("assistance:beneficiary", args=[b.pk]),
            str(b.get_status_display()),
            "warning" if b.status == Beneficiary.Status.END_PROPOSED else "",
        )
        for b in waiting[:FIRST]
    )
    return Panel(
        title=_("Assistance decisions waiting (救助待审批)"),
        count=count,
        url=reverse("assistance:roll") + "?status=proposed",
        items=items,
        level="warning" if count else "",
        order=55,
    )


def checks_due(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """A grid worker's check visits still due this period (核查走访)."""
    if role != Role.GRID_WORKER:
        return None
    due = checks.due(checks.checkable(user), timezone.localdate(now))
    items = tuple(
        PanelItem(f"{d.person} · {d.household_code}", reverse("assistance:checks"), d.period.label)
        for d in due[:FIRST]
    )
    return Panel(
        title=_("Check visits due (核查走访)"),
        count=len(due),
        url=reverse("assistance:checks"),
        items=items,
        level="warning" if due else "",
        order=61,
    )
