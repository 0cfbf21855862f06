from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class VisitsConfig(AppConfig):
    name = "civgrid.visits"
    label = "visits"
    verbose_name = _("Households and visits (入户走访)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem("visits:due", _("Visits due"), roles=frozenset({"grid_worker"}), group="field"),
        NavItem(
            "visits:coverage",
            _("Visit coverage"),
            roles=frozenset({"office", "inspector", "leader"}),
            group="field",
        ),
        NavItem(
            "visits:households",
            _("Households"),
            roles=frozenset({"office", "inspector", "leader", "grid_worker"}),
            group="field",
        ),
    )
    # Panels of the start page (civgrid/todo.py).
    todo_panels: tuple[str, ...] = ("civgrid.visits.todo.visits_due",)
