"""The `civgrid` command: Django's manage.py with civgrid's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civgrid.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A missing setting (CIVGRID_SECRET_KEY…) is the operator's to fix: the message says
        # how, a traceback through Django's setup would only bury it.
        sys.exit(f"civgrid: {exc}")


if __name__ == "__main__":
    main()
