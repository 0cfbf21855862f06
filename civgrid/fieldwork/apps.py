from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class FieldworkConfig(AppConfig):
    name = "civgrid.fieldwork"
    label = "fieldwork"
    verbose_name = _("Grid-worker app (网格员工作台)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem("fieldwork:home", _("Phone app"), roles=frozenset({"grid_worker"}), group="field"),
        NavItem(
            "fieldwork:patrols",
            _("Patrols"),
            roles=frozenset({"office", "inspector", "leader"}),
            group="field",
        ),
    )
