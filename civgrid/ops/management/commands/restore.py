"""`civgrid restore ARCHIVE`: into an empty database, then every count and file checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from civgrid.ops import backup


class Command(BaseCommand):
    help = (
        "Restore a `civgrid backup` archive into the configured database, which must be empty "
        "(a new PostgreSQL database, or no SQLite file), and its files into the media storage; "
        "then compare every table's row count and every file's digest with the backup's "
        "manifest. Exits with an error when anything differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file")
        connection = connections[options["database"]]
        connection.close()  # restore talks to the database through its own tools
        try:
            report = backup.restore(archive, settings_dict=connection.settings_dict)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if report.differences:
            for line in report.differences:
                self.stderr.write(line)
            raise CommandError(f"restored with {len(report.differences)} difference(s)")
        self.stdout.write(
            f"civgrid restore: {len(report.tables)} tables, {sum(report.tables.values())} rows, "
            f"{report.media_files} media files: every count and file equal to the backup."
        )
