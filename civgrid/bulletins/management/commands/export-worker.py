"""Run queued exports (civgrid export-worker): for production with CIVGRID_EXPORT_RUNNER=worker.

Loops: marks jobs whose process died as failed, runs queued jobs oldest first, sleeps.
`--once` runs what is queued and exits (cron, tests).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from civgrid.bulletins.jobs import fail_stale, run_queued


class Command(BaseCommand):
    help = "Run queued export jobs (bulletins, ledger and work-log exports)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--sleep", type=float, default=2.0, help="seconds between polls")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            stale = fail_stale(timezone.now())
            ran = run_queued()
            if ran or stale:
                self.stdout.write(f"ran {ran} export(s); {stale} interrupted one(s) marked failed")
            if options["once"]:
                return
            # A long-lived process: drop a broken or expired connection between polls.
            close_old_connections()
            time.sleep(options["sleep"])
