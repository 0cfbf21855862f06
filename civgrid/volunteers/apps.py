from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class VolunteersConfig(AppConfig):
    name = "civgrid.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers (志愿服务)")
    # The menu and start-page panels come with the pages (urls.py).
    nav: tuple[NavItem, ...] = ()
    todo_panels: tuple[str, ...] = ()

    def ready(self) -> None:
        from civgrid.volunteers import notices

        notices.register_events()
