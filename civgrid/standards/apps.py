from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem

READERS = frozenset({"office", "inspector", "leader", "unit_clerk"})


class StandardsConfig(AppConfig):
    name = "civgrid.standards"
    label = "standards"
    verbose_name = _("Evaluation standards (测评体系)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem("standards:list", _("Evaluation framework"), roles=READERS, group="campaign"),
        NavItem("standards:map", _("Responsibility map"), roles=READERS, group="campaign"),
    )
