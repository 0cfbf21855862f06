"""`civgrid serve`: prepare what production needs, then run gunicorn (docs/operations.md)."""

from __future__ import annotations

import os
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civgrid.ops import serving


class Command(BaseCommand):
    help = (
        "Serve civgrid in production with gunicorn: refuses the demo secret key and an "
        "unmigrated database, collects the static files when their manifest is missing or "
        "stale, then runs gunicorn on civgrid.wsgi. Arguments after `--` go to gunicorn."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("CIVGRID_BIND", serving.DEFAULT_BIND),
            help="address:port or unix:PATH (env CIVGRID_BIND; default %(default)s)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("CIVGRID_WORKERS", 0)) or serving.default_workers(),
            help="worker processes (env CIVGRID_WORKERS; default 2 × cores + 1, at most "
            f"{serving.MAX_WORKERS}: %(default)s here)",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(os.environ.get("CIVGRID_TIMEOUT", serving.DEFAULT_TIMEOUT)),
            help="seconds before a silent worker is replaced (env CIVGRID_TIMEOUT; "
            "default %(default)s)",
        )
        parser.add_argument(
            "--access-log",
            default=os.environ.get("CIVGRID_ACCESS_LOG", "-"),
            help="access log file, '-' for standard output, '' for none "
            "(env CIVGRID_ACCESS_LOG; default standard output)",
        )
        parser.add_argument(
            "--migrate", action="store_true", help="apply unapplied migrations instead of refusing"
        )
        parser.add_argument(
            "--prepare-only",
            action="store_true",
            help="check and prepare (migrations, static files), then exit without serving",
        )
        parser.add_argument("gunicorn_args", nargs="*", help="after --: passed to gunicorn")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        started = time.monotonic()
        try:
            prepared = serving.prepare(migrate=options["migrate"])
        except serving.NotReady as exc:
            raise CommandError(str(exc)) from exc
        facts = [
            f"DEBUG {'ON (set CIVGRID_DEBUG=0 in production)' if settings.DEBUG else 'off'}",
            f"{prepared.migrations_applied} migration(s) applied"
            if prepared.migrations_applied
            else "migrations up to date",
            "static files collected" if prepared.static_collected else "static files ready",
        ]
        self.stdout.write(
            f"civgrid serve: {', '.join(facts)} ({time.monotonic() - started:.1f} s)."
        )
        if options["prepare_only"]:
            return
        serving.prepare_metrics_dir(options["bind"])
        argv = serving.gunicorn_argv(
            bind=options["bind"],
            workers=options["workers"],
            timeout=options["timeout"],
            access_log=options["access_log"],
            extra=options["gunicorn_args"],
        )
        self.stdout.write(
            f"civgrid serve: gunicorn with {options['workers']} worker(s) on {options['bind']}."
        )
        self.stdout.flush()
        # Replace this process: signals (TERM to stop, HUP to reload) reach gunicorn's master.
        os.execv(argv[0], argv)
