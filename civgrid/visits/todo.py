"""The visits panel of the start page (待办, civgrid/todo.py): households due this period."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civgrid.org.models import Role
from civgrid.org.queries import AnyUser
from civgrid.todo import Panel, PanelItem
from civgrid.visits import plans
from civgrid.visits.models import VisitPlan
from civgrid.visits.queries import households_for_user


def visits_due(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """A grid worker's households still to visit this period, one line per visit plan
    (走访任务); a line turns amber in the period's last week."""
    if role != Role.GRID_WORKER:
        return None
    today = timezone.localdate(now)
    scope = households_for_user(user)
    items = []
    total = 0
    for plan in VisitPlan.objects.filter(is_active=True, active_from__lte=today).order_by("name"):
        period = plans.period_containing(plan.frequency, today)
        due = len(plans.period_status(plan, period, scope).unvisited)
        if not due:
            continue
        total += due
        left = period.days_left(today)
        detail = ngettext(
            "%(due)d to visit, %(left)d day left", "%(due)d to visit, %(left)d days left", left
        ) % {"due": due, "left": left}
        items.append(
            PanelItem(plan.name, reverse("visits:due"), detail, "warning" if left <= 7 else "")
        )
    return Panel(
        title=_("Visits due (走访任务)"),
        count=total,
        url=reverse("visits:due"),
        items=tuple(items),
        level="warning" if total else "",
        order=60,
    )
