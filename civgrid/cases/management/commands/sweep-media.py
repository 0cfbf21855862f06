"""`civgrid sweep-media`: remove uploaded files that no row names (a photo written by an action
whose transaction rolled back or whose process was killed). A daily job; see
docs/operations.md."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from civgrid.cases.photos import sweep_media


class Command(BaseCommand):
    help = "Remove files under MEDIA_ROOT that no row names and that are older than an hour."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be removed, remove nothing"
        )
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help="keep files younger than this: their transaction may still be open (60)",
        )

    def handle(self, *args: object, **options: object) -> None:
        dry_run = bool(options["dry_run"])
        min_age = dt.timedelta(minutes=int(options["min_age_minutes"]))  # type: ignore[call-overload]
        orphans = sweep_media(now=timezone.now(), min_age=min_age, dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for name in orphans:
            self.stdout.write(f"{verb} {name}")
        self.stdout.write(f"{len(orphans)} file(s) no row names: {verb}.")
