"""civgrid import-checklist FILE.xlsx --code C --name N: a safety checklist edition."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civgrid.safety.actions import import_checklist


class Command(BaseCommand):
    help = (
        "Import an edition of the safety checklists (one row per item, Chinese or English "
        "headers) beside the editions stored. Nothing is written if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="an .xlsx workbook")
        parser.add_argument("--code", required=True, help="unique code of the new edition")
        parser.add_argument("--name", required=True, help="name of the edition")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--make-current", action="store_true", help="checks use it from now on")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        result = import_checklist(
            data,
            actor=None,
            code=options["code"],
            name=options["name"],
            source_name=path.name,
            dry_run=options["dry_run"],
            make_current=options["make_current"],
        )
        for p in result.problems:
            where = str(p.row) if p.row is not None else "-"
            line = (
                f"{p.severity.upper():7} {where:>6}  {p.code or '-':<10} {p.column:<10} {p.message}"
            )
            self.stdout.write(
                self.style.ERROR(line) if p.severity == "error" else self.style.WARNING(line)
            )
        if not result.ok:
            raise CommandError(f"{len(result.errors)} error(s) in {path}: nothing was imported.")
        verb = "would be" if result.dry_run else "were"
        self.stdout.write(self.style.SUCCESS(f"{result.items} items {verb} imported."))
