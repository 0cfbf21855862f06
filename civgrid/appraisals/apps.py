from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem

READERS = frozenset({"office", "inspector", "leader", "unit_clerk"})


class AppraisalsConfig(AppConfig):
    name = "civgrid.appraisals"
    label = "appraisals"
    verbose_name = _("Appraisals and star ratings (考评评星)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem("appraisals:schemes", _("Appraisal schemes"), roles=READERS, group="campaign"),
        NavItem("appraisals:branches", _("Party branches"), roles=READERS, group="campaign"),
        NavItem("appraisals:cycles", _("Star ratings"), roles=READERS, group="campaign"),
    )

    # Panels of the start page (civgrid/todo.py).
    todo_panels: tuple[str, ...] = ("civgrid.appraisals.todo.files_waiting",)

    def ready(self) -> None:
        from civgrid.appraisals import notices

        notices.register()
