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
        NavItem(
            "safety:campaigns",
            _("Safety campaigns"),
            roles=frozenset({"office", "inspector"}),
            group="campaign",
        ),
        NavItem(
            "safety:escalation",
            _("Warning interviews (约谈)"),
            roles=frozenset({"office", "inspector"}),
            group="campaign",
        ),
        NavItem(
            "safety:my_checks",
            _("My safety checks"),
            roles=frozenset({"grid_worker", "inspector"}),
            group="field",
        ),
    )

    def ready(self) -> None:
        from civgrid.enterprises import history
        from civgrid.safety import history as safety_history

        history.register(safety_history.entries)
