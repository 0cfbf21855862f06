"""civgrid import-scheme FILE.xlsx | five-star-branch [--publish]: a scheme, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civgrid.appraisals import actions
from civgrid.appraisals.data import five_star_branch

BUILT_IN = {"five-star-branch": five_star_branch.workbook}


class Command(BaseCommand):
    help = (
        "Import an appraisal scheme from its workbook (sheets 方案, 考评标准, 审核层级, 等次) as a "
        "draft, or a scheme civgrid ships (five-star-branch: 五星级党支部). Nothing is written "
        "if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="an .xlsx workbook, or: " + ", ".join(BUILT_IN))
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--publish", action="store_true", help="publish the imported draft")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        if name in BUILT_IN:
            data = BUILT_IN[name]()
        else:
            try:
                data = Path(name).read_bytes()
            except OSError as exc:
                raise CommandError(f"Cannot read {name}: {exc}") from exc
        result = actions.import_scheme(data, actor=None, dry_run=options["dry_run"])
        for p in result.problems:
            where = f"{p.sheet} row {p.row}" if p.row is not None else p.sheet or "-"
            line = f"{p.severity.upper():7} {where:>16}  {p.column:<10} {p.message}"
            self.stdout.write(
                self.style.ERROR(line) if p.severity == "error" else self.style.WARNING(line)
            )
        if not result.ok or result.scheme is None:
            raise CommandError(f"{len(result.errors)} error(s) in {name}: nothing was imported.")
        scheme = result.scheme
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS(f"{scheme} would be imported."))
            return
        if options["publish"]:
            try:
                actions.publish_scheme(scheme, actor=None)
            except actions.AppraisalError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{scheme} imported ({scheme.get_status_display()})."))
