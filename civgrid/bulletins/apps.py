from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem

_STAFF = frozenset({"office", "inspector", "leader", "unit_clerk"})


class BulletinsConfig(AppConfig):
    name = "civgrid.bulletins"
    label = "bulletins"
    verbose_name = _("Bulletins and exports (通报与导出)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem("bulletins:index", _("Bulletins & exports"), _STAFF, group="reports"),
    )

    def ready(self) -> None:
        from civgrid.bulletins.exporters import EXPORTERS
        from civgrid.bulletins.registry import register

        register(EXPORTERS)
