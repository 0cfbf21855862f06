from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class WorklogsConfig(AppConfig):
    name = "civgrid.worklogs"
    label = "worklogs"
    verbose_name = _("Work logs (工作台账)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = ()
