from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class InspectionsConfig(AppConfig):
    name = "civgrid.inspections"
    label = "inspections"
    verbose_name = _("Inspections (督查检查)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = ()
