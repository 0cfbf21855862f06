from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class ReportsConfig(AppConfig):
    name = "civgrid.reports"
    label = "reports"
    verbose_name = _("Reports and rankings (统计排名)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem(
            "reports:dashboard",
            _("Dashboard (统计)"),
            roles=frozenset({"office", "inspector", "leader", "unit_clerk"}),
            group="reports",
        ),
    )
