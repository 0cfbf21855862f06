from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class Open311Config(AppConfig):
    name = "civgrid.open311"
    label = "open311"
    verbose_name = _("Open311 GeoReport v2")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = ()
