"""civgrid import-framework FILE.xlsx --code 2026 --name …: a new edition, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civgrid.standards.actions import import_framework


class Command(BaseCommand):
    help = (
        "Import an edition of the evaluation framework from an Excel sheet (one row per "
        "standard, Chinese or English headers) beside the editions already stored. Nothing is "
        "written if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="an .xlsx workbook")
        parser.add_argument("--code", required=True, help="unique code of the new edition")
        parser.add_argument("--name", required=True, help="name of the edition")
        parser.add_argument("--edition", default="", help="edition label, e.g. 2026年版")
        parser.add_argument("--notes", default="")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--make-current",
            action="store_true",
            help="make it the edition inspections use (the first edition always is)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        result = import_framework(
            data,
            actor=None,
            code=options["code"],
            name=options["name"],
            edition=options["edition"],
            notes=options["notes"],
            source_name=path.name,
            dry_run=options["dry_run"],
            make_current=options["make_current"],
        )
        for p in result.problems:
            where = f"row {p.row}" if p.row is not None else "-"
            line = (
                f"{p.severity.upper():7} {where:>9}  {p.code or '-':<12} {p.column:<10} {p.message}"
            )
            self.stdout.write(
                self.style.ERROR(line) if p.severity == "error" else self.style.WARNING(line)
            )
        if not result.ok:
            raise CommandError(f"{len(result.errors)} error(s) in {path}: nothing was imported.")
        verb = "would be" if result.dry_run else "were"
        current = (
            " It is the current edition."
            if result.framework and result.framework.is_current
            else ""
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.items} items, {result.contents} contents, {result.standards} standards "
                f"and {result.questions} checklist questions {verb} imported.{current}"
            )
        )
