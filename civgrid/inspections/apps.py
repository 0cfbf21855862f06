from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem

PLANNERS = frozenset({"office", "inspector"})


class InspectionsConfig(AppConfig):
    name = "civgrid.inspections"
    label = "inspections"
    verbose_name = _("Inspections (督查检查)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem("inspections:mine", _("My checklists"), roles=PLANNERS, group="campaign"),
        NavItem(
            "inspections:index",
            _("Inspections"),
            roles=frozenset({*PLANNERS, "leader"}),
            group="campaign",
        ),
        NavItem(
            "inspections:at_risk",
            _("Standards at risk"),
            roles=frozenset({*PLANNERS, "leader", "unit_clerk"}),
            group="campaign",
        ),
        NavItem(
            "inspections:findings", _("Findings"), roles=frozenset({"unit_clerk"}), group="campaign"
        ),
    )
