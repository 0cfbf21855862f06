from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem

_OFFICE = frozenset({"office"})


class NoticesConfig(AppConfig):
    """Notices (通知提醒): what reaches whom, through which channel, delivered from an outbox."""

    name = "civgrid.notices"
    verbose_name = _("Notices")
    default_auto_field = "django.db.models.BigAutoField"
    nav: tuple[NavItem, ...] = (
        NavItem("notices:rules", _("Notice rules"), _OFFICE, group="settings"),
        NavItem("notices:failed", _("Failed deliveries"), _OFFICE, group="settings"),
        NavItem("notices:console", _("Message console"), _OFFICE, group="settings"),
    )
    todo_panels: tuple[str, ...] = (
        "civgrid.notices.panels.escalations",
        "civgrid.notices.panels.failed_deliveries",
        "civgrid.notices.panels.bad_ratings",
    )

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save

        from civgrid.cases.models import CaseEvent
        from civgrid.notices import events
        from civgrid.notices.outbox import SENT_DOWN, on_case_event, render_sent_down

        # The city office's 下派: not one of the ledger's Event choices (a registered event,
        # so no migration), heard by the office of the district the case is sent to.
        events.register(
            SENT_DOWN,
            _("Case sent down to the district (市级下派)"),
            render=render_sent_down,
            channels=("inbox",),
        )

        # The outbox: runs inside the case action's transaction (see models.py).
        post_save.connect(on_case_event, sender=CaseEvent, dispatch_uid="notices.outbox")
        # Other apps' events (civgrid/notices/events.py) get their default rules once
        # migrated; rules the office changed are left as they are.
        post_migrate.connect(_app_event_rules, sender=self, dispatch_uid="notices.app_rules")


def _app_event_rules(**kwargs: object) -> None:
    from civgrid.notices.defaults import restore_default_rules

    restore_default_rules()
