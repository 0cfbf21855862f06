from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class TerritoryConfig(AppConfig):
    name = "civgrid.territory"
    label = "territory"
    verbose_name = _("Territory")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem(
            "territory:import_regions", _("Import grids"), frozenset({"office"}), group="settings"
        ),
    )
