from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class EnterprisesConfig(AppConfig):
    name = "civgrid.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprise files (一企一档)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem(
            "enterprises:list",
            _("Enterprises"),
            roles=frozenset({"office", "inspector", "leader", "unit_clerk", "grid_worker"}),
            group="field",
        ),
        NavItem(
            "enterprises:files",
            _("Enterprise files"),
            roles=frozenset({"office", "inspector", "unit_clerk"}),
            group="reports",
        ),
    )
    # Panels of the start page (civgrid/todo.py).
    todo_panels: tuple[str, ...] = ("civgrid.enterprises.todo.expiring_documents_panel",)
