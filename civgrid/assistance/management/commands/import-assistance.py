"""civgrid import-assistance FILE.xlsx --user NAME: the existing rolls, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civgrid.assistance.imports import import_roll, template_workbook


class Command(BaseCommand):
    help = (
        "Import an assistance roll (名册) from an Excel workbook as the 民政 clerk --user. "
        "Nothing is written if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="an .xlsx workbook")
        parser.add_argument("--user", help="the 民政 clerk's user name (whose programmes)")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--template", action="store_true", help="write an empty template workbook to FILE"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if options["template"]:
            path.write_bytes(template_workbook())
            self.stdout.write(f"Template written to {path}.")
            return
        try:
            user = get_user_model().objects.get(username=options["user"] or "")
        except get_user_model().DoesNotExist as exc:
            raise CommandError("Give --user, the 民政 clerk importing the roll.") from exc
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        result = import_roll(data, actor=user, dry_run=options["dry_run"])
        for p in result.problems:
            line = f"{p.severity.upper():7} {p.row or '-':>6}  {p.column:<12} {p.message}"
            self.stdout.write(
                self.style.ERROR(line) if p.severity == "error" else self.style.WARNING(line)
            )
        if not result.ok:
            raise CommandError(f"{len(result.errors)} error(s) in {path}: nothing was imported.")
        verb = "would be" if result.dry_run else "were"
        self.stdout.write(self.style.SUCCESS(f"{result.created} enrolment(s) {verb} imported."))
