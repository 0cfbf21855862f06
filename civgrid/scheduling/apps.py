from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class SchedulingConfig(AppConfig):
    name = "civgrid.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduled jobs (定时任务)")
    nav: tuple[NavItem, ...] = (
        NavItem("scheduling:index", _("Scheduled jobs"), frozenset({"office"}), group="settings"),
    )

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app's schedule.py registers its periodic jobs (civgrid.scheduling.registry).
        autodiscover_modules("schedule")
