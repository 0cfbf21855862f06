"""Remove invisible control and bidi characters from stored free text (civgrid
strip-control-characters): what the migration civgrid_lib 0001 did, again, e.g. after
restoring a backup taken before input refused them. Case events and work-log entries are
append-only and left as they are (exporters clean them on the way out)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from civgrid.lib.repair import strip_stored_text


class Command(BaseCommand):
    help = "Remove control and bidi characters from stored free text (mutable models only)."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = strip_stored_text(apps)
        for label, n in sorted(changed.items()):
            self.stdout.write(f"{label}: {n}")
        self.stdout.write(f"{sum(changed.values())} rows repaired.")
