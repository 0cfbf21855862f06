from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notices (通知提醒): what reaches whom, through which channel, delivered from an outbox."""

    name = "civgrid.notices"
    verbose_name = _("Notices")
    default_auto_field = "django.db.models.BigAutoField"
