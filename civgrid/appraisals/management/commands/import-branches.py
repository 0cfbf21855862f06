"""civgrid import-branches FILE.xlsx [--dry-run]: the party-branch register, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civgrid.appraisals.actions import import_branches


class Command(BaseCommand):
    help = (
        "Import the party-branch register (党支部名册: 支部编码, 支部名称, 类型, 所在区域, …); a "
        "branch whose code exists is updated. Nothing is written if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="an .xlsx workbook")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        result = import_branches(data, actor=None, dry_run=options["dry_run"])
        for p in result.problems:
            where = f"row {p.row}" if p.row is not None else "-"
            line = (
                f"{p.severity.upper():7} {where:>9}  {p.code or '-':<12} {p.column:<8} {p.message}"
            )
            self.stdout.write(
                self.style.ERROR(line) if p.severity == "error" else self.style.WARNING(line)
            )
        if not result.ok:
            raise CommandError(f"{len(result.errors)} error(s) in {path}: nothing was imported.")
        verb = "would be" if result.dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.created)} branches {verb} created, {len(result.updated)} updated."
            )
        )
