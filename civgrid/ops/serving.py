"""What `civgrid serve` does before it hands over to gunicorn, as plain functions.

Production runs with DEBUG off, where WhiteNoise's manifest storage serves static files from
STATIC_ROOT under hashed names: a page whose `{% static %}` has no manifest entry answers 500.
So the manifest is built here whenever it is missing or older than the source files, the
schema must be migrated, and the demo's secret key is refused, before any worker starts.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

# Beside the manifest: the fingerprint of the source files the manifest was built from.
FINGERPRINT_NAME = "staticfiles.sources.sha256"
MAX_WORKERS = 12
DEFAULT_BIND = "127.0.0.1:8000"
DEFAULT_TIMEOUT = 60


class NotReady(Exception):
    """Serving would fail: the message says why and what to run."""


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 × cores + 1, capped: more processes than that only queue
    on the same cores (and each holds a database connection)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(2 * cores + 1, MAX_WORKERS)


def check_secret_key() -> None:
    if getattr(settings, "DEMO_SECRET_KEY", None) == settings.SECRET_KEY:
        raise NotReady(
            "civgrid serve refuses the demo secret key: set CIVGRID_SECRET_KEY to a long random "
            "value (python3 -c 'import secrets; print(secrets.token_urlsafe(50))'). "
            "See docs/operations.md."
        )


def unapplied_migrations(database: str = DEFAULT_DB_ALIAS) -> list[str]:
    executor = MigrationExecutor(connections[database])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def check_migrations(*, apply: bool) -> int:
    """Refuse to serve on an unmigrated database, or migrate it when asked. Returns how many
    migrations were applied."""
    db = settings.DATABASES[DEFAULT_DB_ALIAS]
    if db["ENGINE"].endswith("sqlite3") and str(db["NAME"]) != ":memory:":
        # A fresh CIVGRID_VAR_DIR: SQLite creates the file but not its folder.
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    pending = unapplied_migrations()
    if not pending:
        return 0
    if not apply:
        raise NotReady(
            f"The database has {len(pending)} unapplied migration(s) (first: {pending[0]}): run "
            "`civgrid migrate` first, or `civgrid serve --migrate` to apply them on start."
        )
    call_command("migrate", interactive=False, verbosity=0)
    return len(pending)


def static_sources_fingerprint() -> str:
    """A digest of every file collectstatic would copy (name, size, modification time)."""
    digest = hashlib.sha256()
    entries = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode() + b"\n")
    return digest.hexdigest()


def prepare_static_files() -> bool:
    """Collect the static files when the manifest storage is in use and its manifest is
    missing or stale. Returns whether it collected."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return False  # DEBUG on: WhiteNoise serves the source files through the finders
    root = Path(settings.STATIC_ROOT)
    fingerprint_file = root / FINGERPRINT_NAME
    fingerprint = static_sources_fingerprint()
    manifest = root / storage.manifest_name
    if (
        manifest.is_file()
        and fingerprint_file.is_file()
        and fingerprint_file.read_text(encoding="ascii").strip() == fingerprint
    ):
        return False
    root.mkdir(parents=True, exist_ok=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    fingerprint_file.write_text(fingerprint + "\n", encoding="ascii")
    return True


@dataclass(frozen=True)
class Prepared:
    migrations_applied: int
    static_collected: bool


def prepare(*, migrate: bool) -> Prepared:
    """Everything serving needs, in the order a new user would hit the problems."""
    check_secret_key()
    applied = check_migrations(apply=migrate)
    collected = prepare_static_files()
    return Prepared(applied, collected)


def prepare_metrics_dir(bind: str) -> Path:
    """A fresh folder for prometheus_client's multiprocess mode, one per served address (two
    `civgrid serve` on one machine must not share or wipe each other's), set in the environment
    before gunicorn imports civgrid so every forked worker writes its counts there."""
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if given:
        folder = Path(given)
    else:
        safe = "".join(c if c.isalnum() else "_" for c in bind)
        folder = Path(settings.VAR_DIR) / "prometheus" / safe
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):  # the counts of a previous run's processes
        stale.unlink()
    return folder


def gunicorn_argv(
    *,
    bind: str,
    workers: int,
    timeout: int,
    access_log: str,
    extra: list[str] | tuple[str, ...] = (),
) -> list[str]:
    """The gunicorn command line: sync workers on civgrid's WSGI application."""
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "civgrid.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        # A worker silent for this long is killed and replaced (a stuck request); uploads of
        # nine phone photos over a slow network are the longest legitimate requests.
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "30",
        # Import civgrid once in the master and fork the workers from it: they start at once
        # (a restart after a crash serves again sooner) and share the code's memory. New code
        # therefore needs a restart, not a HUP — which also reruns the prepare step.
        "--preload",
        "--error-logfile",
        "-",
    ]
    if access_log:
        argv += ["--access-logfile", access_log]
    if _gunicorn_knows("control_socket_disable"):
        # Recent gunicorn opens a control socket at one path per user (~/.gunicorn/gunicorn.ctl),
        # which a second instance on the machine takes over; civgrid is run with signals.
        argv.append("--no-control-socket")
    return argv + list(extra)


def _gunicorn_knows(setting: str) -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(s.name == setting for s in KNOWN_SETTINGS)
