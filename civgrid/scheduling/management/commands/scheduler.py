"""`civgrid scheduler`: enqueue the periodic jobs' slots (civgrid.scheduling), each once.

Long-running: a tick every --interval seconds. It keeps no state of its own (the ScheduledRun
rows are the state), so it can be stopped, killed or restarted at any moment, and two of them
may run at once. `--once` ticks once and exits (cron, tests).
"""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from civgrid.scheduling.runner import tick


class Command(BaseCommand):
    help = "Enqueue the periodic jobs' due slots, each exactly once (see docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="tick once, then exit")
        parser.add_argument("--interval", type=float, default=20.0, help="seconds between ticks")

    def handle(self, *args: Any, **options: Any) -> None:
        self.running = True
        if not options["once"]:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
            self.stdout.write(f"scheduler: a tick every {options['interval']:g} s; SIGTERM stops")
            self.stdout.flush()
        while self.running:
            for run in tick(timezone.now()):
                self.stdout.write(
                    f"enqueued {run.job} for {timezone.localtime(run.slot):%Y-%m-%d %H:%M}"
                )
            if options["once"]:
                return
            close_old_connections()  # a long-lived process: drop a broken connection between ticks
            deadline = time.monotonic() + options["interval"]
            while self.running and time.monotonic() < deadline:
                time.sleep(min(1.0, options["interval"]))

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False
