"""civgrid import-volunteers FILE.xlsx: the volunteer register, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civgrid.volunteers.imports import import_volunteers, template_workbook


class Command(BaseCommand):
    help = (
        "Register volunteers from an Excel workbook (姓名, 手机号, 身份证号, 社区或网格编码, 服务队, "
        "技能, 服务时间, 政治面貌). Nothing is written if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="an .xlsx workbook")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--template",
            action="store_true",
            help="write an empty template workbook to FILE instead of importing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if options["template"]:
            path.write_bytes(template_workbook())
            self.stdout.write(f"Template written to {path}.")
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        result = import_volunteers(data, actor=None, dry_run=options["dry_run"])
        for p in result.problems:
            where = str(p.row) if p.row is not None else "file"
            line = f"{p.severity.upper():7} row {where:>6}  {p.column:<10} {p.message}"
            self.stdout.write(
                self.style.ERROR(line) if p.severity == "error" else self.style.WARNING(line)
            )
        if not result.ok:
            raise CommandError(f"{len(result.errors)} error(s) in {path}: nothing was imported.")
        verb = "would be" if result.dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(f"Volunteers: {len(result.created)} {verb} registered.")
        )
