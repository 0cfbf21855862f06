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

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from civgrid.cases.models import Case, CaseEvent
        from civgrid.reports import aggregates

        # The indicators' tables follow the ledger inside each action's transaction.
        post_save.connect(aggregates.on_case_saved, sender=Case, dispatch_uid="reports.case")
        post_save.connect(
            aggregates.on_case_event_saved, sender=CaseEvent, dispatch_uid="reports.event"
        )
        post_save.connect(
            aggregates.on_finding_saved,
            sender="inspections.Finding",
            dispatch_uid="reports.finding",
        )
