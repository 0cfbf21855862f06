"""The main menu: each app lists its links in its AppConfig's `nav`, filtered by role here.

Links are grouped by task (GROUPS); the page shows a group as a drop-down on a desktop and as a
section of the collapsible menu on a phone (civgrid/templates/_nav.html).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The menu groups, in the order the menu shows them.
GROUPS: dict[str, Promise] = {
    "ledger": _("Ledger (台账)"),
    "campaign": _("Campaign (创建)"),
    "field": _("Field work (走访巡查)"),
    "reports": _("Reports (统计通报)"),
    "settings": _("Settings (设置)"),
}


@dataclass(frozen=True)
class NavItem:
    """Imported by apps.py modules, so this module must not import models at load time."""

    url_name: str
    label: Promise | str
    roles: frozenset[str]  # who sees the link (role values of civgrid.org.models.Role)
    query: str = ""  # e.g. "?overdue=yes"
    # The menu group: a key of GROUPS ("campaign", "field", "ledger", "reports", "settings").
    group: str = ""


@dataclass
class NavGroup:
    key: str
    label: Promise | str
    links: list[tuple[str, Promise | str]] = field(default_factory=list)


# The admin site is for staff accounts whatever their role, so it is not an app's NavItem.
ADMIN_LINK = ("admin:index", _("Admin"))


def menu_for(role: str | None, *, is_staff: bool = False) -> list[NavGroup]:
    """The role's links grouped by task, groups in GROUPS order, empty groups left out."""
    groups = {key: NavGroup(key, label) for key, label in GROUPS.items()}
    if role is not None:
        for config in apps.get_app_configs():
            for item in getattr(config, "nav", ()):
                if role in item.roles:
                    # An unknown group is a mistake test_nav.py catches; the page still shows it.
                    group = groups.get(item.group, groups["settings"])
                    group.links.append((reverse(item.url_name) + item.query, item.label))
    if is_staff:
        groups["settings"].links.append((reverse(ADMIN_LINK[0]), ADMIN_LINK[1]))
    return [group for group in groups.values() if group.links]


def app_nav(request: HttpRequest) -> dict[str, object]:
    from civgrid.org.queries import role_of

    user = getattr(request, "user", None)
    role = role_of(user)
    return {"nav_groups": menu_for(role, is_staff=bool(getattr(user, "is_staff", False)))}
