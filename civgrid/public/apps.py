from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem


class PublicConfig(AppConfig):
    name = "civgrid.public"
    label = "public"
    verbose_name = _("Resident reporting (群众反映)")
    # Links this app adds to the main menu (see civgrid/nav.py).
    nav: tuple[NavItem, ...] = (
        NavItem(
            "public:qr_index", _("Resident QR codes"), roles=frozenset({"office"}), group="field"
        ),
    )
