from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem

_DESK = frozenset({"office", "inspector", "leader", "unit_clerk"})  # report from the menu
_REGISTRARS = frozenset({"office", "inspector"})


class CasesConfig(AppConfig):
    name = "civgrid.cases"
    label = "cases"
    verbose_name = _("Problem-rectification ledger")
    # Links this app adds to the main menu (see civgrid/nav.py). The grid worker and the
    # resident reach the report form from the menu's first button instead (base.html).
    nav: tuple[NavItem, ...] = (
        NavItem("cases:ledger", _("Ledger"), _DESK | {"grid_worker"}, group="ledger"),
        NavItem("cases:ledger", _("My reports"), frozenset({"resident"}), group="ledger"),
        NavItem(
            "cases:ledger",
            _("To accept"),
            frozenset({"unit_clerk"}),
            "?status=assigned",
            group="ledger",
        ),
        NavItem(
            "cases:ledger", _("Rework"), frozenset({"unit_clerk"}), "?status=rework", group="ledger"
        ),
        NavItem("cases:ledger", _("To register"), _REGISTRARS, "?status=reported", group="ledger"),
        NavItem("cases:ledger", _("To verify"), _REGISTRARS, "?status=submitted", group="ledger"),
        NavItem(
            "cases:ledger",
            _("Overdue"),
            frozenset({"office", "leader"}),
            "?overdue=yes",
            group="ledger",
        ),
        NavItem("cases:report", _("Report a problem"), _DESK, group="ledger"),
    )
    # Panels of the start page (civgrid/todo.py), in civgrid/cases/todo.py.
    todo_panels: tuple[str, ...] = (
        "civgrid.cases.todo.to_accept",
        "civgrid.cases.todo.rework",
        "civgrid.cases.todo.overdue",
        "civgrid.cases.todo.due_soon",
        "civgrid.cases.todo.open_cases",
        "civgrid.cases.todo.to_register",
        "civgrid.cases.todo.extension_requests",
        "civgrid.cases.todo.to_verify",
    )
