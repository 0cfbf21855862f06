"""civgrid import-regions FILE.geojson: regions and grids from GeoJSON, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civgrid.territory.actions import import_regions


class Command(BaseCommand):
    help = (
        "Import regions and grids from a GeoJSON FeatureCollection (properties: code, name, "
        "level, parent_code, households, residents). Nothing is written if any feature is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .geojson file")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        result = import_regions(data, actor=None, dry_run=options["dry_run"])
        for p in result.problems:
            where = f"feature {p.number}" if p.number is not None else "file"
            line = (
                f"{p.severity.upper():7} {where:>12}  {p.code or '-':<20} {p.field:<12} {p.message}"
            )
            self.stdout.write(
                self.style.ERROR(line) if p.severity == "error" else self.style.WARNING(line)
            )
        if not result.ok:
            raise CommandError(f"{len(result.errors)} error(s) in {path}: nothing was imported.")
        verb = "would be" if result.dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.created)} regions {verb} created, {len(result.updated)} updated, "
                f"{len(result.unchanged)} unchanged."
            )
        )
