"""The main menu: each app lists its links in its AppConfig's `nav`, filtered by role here."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    """Imported by apps.py modules, so this module must not import models at load time."""

    url_name: str
    label: Promise | str
    roles: frozenset[str]  # who sees the link (role values of civgrid.org.models.Role)
    query: str = ""  # e.g. "?overdue=yes"
    # The menu group: "campaign", "field", "ledger", "reports" or "settings" (see app_nav).
    group: str = ""


def app_nav(request: HttpRequest) -> dict[str, object]:
    from civgrid.org.queries import role_of

    user = getattr(request, "user", None)
    role = role_of(user)
    items: list[tuple[str, Promise | str]] = []
    if role is not None:
        for config in apps.get_app_configs():
            for item in getattr(config, "nav", ()):
                if role in item.roles:
                    items.append((reverse(item.url_name) + item.query, item.label))
    return {"app_nav": items}
