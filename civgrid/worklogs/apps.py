from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem

_READERS = frozenset({"office", "inspector", "leader", "unit_clerk"})


class WorklogsConfig(AppConfig):
    name = "civgrid.worklogs"
    label = "worklogs"
    verbose_name = _("Work logs (工作台账)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem("worklogs:index", _("Work logs"), _READERS, group="reports"),
    )

    def ready(self) -> None:
        from civgrid.bulletins.registry import register
        from civgrid.worklogs.exports import EXPORTERS

        register(EXPORTERS)
