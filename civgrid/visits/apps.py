from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class VisitsConfig(AppConfig):
    name = "civgrid.visits"
    label = "visits"
    verbose_name = _("Households and visits (入户走访)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = ()
