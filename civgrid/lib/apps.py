from django.apps import AppConfig


class LibConfig(AppConfig):
    """civgrid.lib is an app only for this: fields of every form and serializer refuse
    invisible control characters (civgrid.lib.text). Listed before django.contrib.admin, whose
    ready() imports every admin module, so no field is built before the rule is in place."""

    name = "civgrid.lib"
    label = "civgrid_lib"

    def ready(self) -> None:
        from civgrid.lib.text import install_field_validators

        install_field_validators()
