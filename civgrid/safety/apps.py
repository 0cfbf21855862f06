from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class SafetyConfig(AppConfig):
    name = "civgrid.safety"
    label = "safety"
    verbose_name = _("Safety inspections (安全检查)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem(
            "safety:checklist",
            _("Safety checklists"),
            roles=frozenset({"office", "inspector", "leader", "unit_clerk", "grid_worker"}),
            group="field",
        ),
    )
