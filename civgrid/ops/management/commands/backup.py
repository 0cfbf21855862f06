"""`civgrid backup [ARCHIVE]`: the database and the uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civgrid.ops import backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and every uploaded file into "
        "one tar archive with a manifest of row counts and file digests. Safe while serving."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "archive",
            nargs="?",
            help="where to write it (default CIVGRID_VAR_DIR/backups/civgrid-<time>.tar)",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(
            options["archive"] or Path(settings.VAR_DIR) / "backups" / backup.default_archive_name()
        )
        try:
            report = backup.backup(archive, alias=options["database"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(report.tables.values())
        self.stdout.write(
            f"civgrid backup: {archive} — {len(report.tables)} tables, {rows} rows, "
            f"{report.media_files} media files ({report.media_bytes / 1e6:.1f} MB)."
        )
