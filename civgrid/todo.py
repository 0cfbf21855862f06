"""The per-role start page (待办): what needs the person now, in panels that apps provide.

An app lists panel functions in its AppConfig's `todo_panels` (dotted paths). Each is called as
`panel(user, role, now)` and returns a `Panel`, or None when it has nothing for this role.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.apps import apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from civgrid.org.queries import AnyUser


@dataclass(frozen=True)
class PanelItem:
    label: str
    url: str
    detail: str = ""  # e.g. the deadline, "overdue 3 working days"
    level: str = ""  # "", "warning" (due soon), "danger" (overdue, failed)


@dataclass(frozen=True)
class Panel:
    title: Promise | str
    count: int  # the whole number, even when `items` shows only the first few
    url: str = ""  # the full list (e.g. the ledger with the right filter)
    items: tuple[PanelItem, ...] = field(default_factory=tuple)
    level: str = ""
    order: int = 100  # smaller first


def collect_panels(user: AnyUser, role: str | None, now: dt.datetime) -> list[Panel]:
    """Every app's panels for this user, by Panel.order (apps' order breaks ties)."""
    if role is None:
        return []
    panels = []
    for config in apps.get_app_configs():
        for path in getattr(config, "todo_panels", ()):
            panel = import_string(path)(user, role, now)
            if panel is not None:
                panels.append(panel)
    return sorted(panels, key=lambda panel: panel.order)  # sorted() is stable
