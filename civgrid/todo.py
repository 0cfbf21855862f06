"""The per-role start page (待办): what needs the person now, in panels that apps provide.

An app lists panel functions in its AppConfig's `todo_panels` (dotted paths). Each is called as
`panel(user, role, now)` and returns a `Panel`, or None when it has nothing for this role.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise


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
