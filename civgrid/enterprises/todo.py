"""The enterprise-file panel of the start page (待办, civgrid/todo.py): documents expiring."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.enterprises.queries import expiring_documents
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser
from civgrid.todo import Panel, PanelItem

SHOWN = 5


def expiring_documents_panel(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """For the office and the regulating units: licences and records expired or expiring
    within 30 days in the files they keep (证照到期提醒)."""
    if role not in (Role.OFFICE, Role.UNIT_CLERK):
        return None
    today = timezone.localdate(now)
    docs = expiring_documents(user, today)
    count = docs.count()
    if not count:
        return None
    items = []
    for doc in docs[:SHOWN]:
        assert doc.expires_on is not None
        expired = doc.is_expired(today)
        detail = (_("expired %(date)s") if expired else _("expires %(date)s")) % {
            "date": doc.expires_on.isoformat()
        }
        items.append(
            PanelItem(
                f"{doc.enterprise.name} · {doc.get_kind_display()}",
                reverse("enterprises:detail", args=[doc.enterprise_id]),
                detail,
                "danger" if expired else "warning",
            )
        )
    return Panel(
        title=_("Documents expiring (证照到期)"),
        count=count,
        url=reverse("enterprises:files") + "#expiring",
        items=tuple(items),
        level="warning",
        order=70,
    )
