from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class VolunteersConfig(AppConfig):
    name = "civgrid.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers (志愿服务)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem(
            "volunteers:activities",
            _("Volunteer activities"),
            roles=frozenset({"office", "inspector", "leader", "grid_worker", "unit_clerk"}),
            group="field",
        ),
        NavItem(
            "volunteers:register",
            _("Volunteers"),
            roles=frozenset({"office", "inspector", "leader", "grid_worker"}),
            group="field",
        ),
        NavItem(
            "volunteers:figures",
            _("Volunteer figures"),
            roles=frozenset({"office", "inspector", "leader"}),
            group="reports",
        ),
        NavItem(
            "volunteers:me", _("My volunteering"), roles=frozenset({"resident"}), group="field"
        ),
    )
    # Panels of the start page (civgrid/todo.py).
    todo_panels: tuple[str, ...] = ("civgrid.volunteers.todo.volunteers_todo",)

    def ready(self) -> None:
        from civgrid.cases.models import SOURCE_GATES, Source
        from civgrid.volunteers import notices
        from civgrid.volunteers.queries import is_active_volunteer

        notices.register_events()
        # Problems volunteers find go on the ledger as source "volunteer", theirs only.
        SOURCE_GATES[Source.VOLUNTEER] = is_active_volunteer
