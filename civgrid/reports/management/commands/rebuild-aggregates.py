"""Write the indicators' fact rows (civgrid/reports/models.py) again from the raw ledger.

    civgrid rebuild-aggregates

The rows are kept in step by every case action; run this after loading cases outside the
actions (a restored backup, bench data, loaddata) or moving a region in the tree.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from civgrid.reports import aggregates


class Command(BaseCommand):
    help = "Rebuild the indicators' pre-computed rows from the raw ledger."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--chunk-size", type=int, default=5000)

    def handle(self, *args: Any, chunk_size: int = 5000, **options: Any) -> None:
        started = time.perf_counter()
        count = aggregates.rebuild(chunk_size=chunk_size)
        seconds = time.perf_counter() - started
        if options.get("verbosity", 1):
            self.stdout.write(f"{count} cases rebuilt in {seconds:.1f} s")
