"""Start-page panels (待办, civgrid.todo): escalations, failed deliveries, bad ratings."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civgrid.notices import queries
from civgrid.todo import Panel, PanelItem

SHOWN = 5


def escalations(user: User, role: str | None, now: dt.datetime) -> Panel | None:
    if role not in ("leader", "office"):
        return None
    notices = queries.escalations_for(user, role)
    items = tuple(
        PanelItem(
            label=n.case.tracking_code if n.case else n.key,
            url=reverse("cases:detail", args=[n.case_id]) if n.case_id else "",
            detail=str(_("overdue %(n)s working days") % {"n": n.data.get("workdays", "?")}),
            level="danger",
        )
        for n in notices[:SHOWN]
    )
    return Panel(_("Escalations"), len(notices), "", items, "danger" if notices else "", 20)


def failed_deliveries(user: User, role: str | None, now: dt.datetime) -> Panel | None:
    if role != "office":
        return None
    failed = queries.failed_deliveries(user)
    items = tuple(
        PanelItem(
            label=f"{d.notice.get_event_display()} · {d.get_channel_display()}",
            url=reverse("notices:failed"),
            detail=d.last_error,
            level="danger",
        )
        for d in failed[:SHOWN]
    )
    return Panel(
        _("Failed deliveries"),
        len(failed),
        reverse("notices:failed"),
        items,
        "danger" if failed else "",
        60,
    )


def bad_ratings(user: User, role: str | None, now: dt.datetime) -> Panel | None:
    if role != "office":
        return None
    cases = queries.bad_ratings(user)
    items = tuple(
        PanelItem(
            label=c.tracking_code,
            url=reverse("cases:detail", args=[c.pk]),
            detail=str(_("satisfaction %(n)s") % {"n": c.satisfaction}),
            level="warning",
        )
        for c in cases[:SHOWN]
    )
    return Panel(_("Bad ratings"), len(cases), "", items, "warning" if cases else "", 50)
