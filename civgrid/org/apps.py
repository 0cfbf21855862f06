from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class OrgConfig(AppConfig):
    name = "civgrid.org"
    label = "org"
    verbose_name = _("Organisation")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem("org:import_people", _("Import people"), frozenset({"office"}), group="settings"),
    )
