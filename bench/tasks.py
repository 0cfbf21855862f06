"""Tasks per second through one `civgrid db_worker` (the embedded queue of `make demo`).

    .venv/bin/python bench/tasks.py                                   # SQLite file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civgrid_bench_tasks \\
        .venv/bin/python bench/tasks.py                               # PostgreSQL
    TASKS=5000 .venv/bin/python bench/tasks.py

Builds a scratch database (SQLite: a new file; PostgreSQL: the database named is DROPPED and
created again: never point it at real data), enqueues TASKS tasks that do nothing
(civgrid.scheduling.queue.ping), then runs one real worker process
(`civgrid db_worker --batch`) until the queue is empty. Prints enqueues per second and tasks
per second: the queue's own cost per task (claim with a row lock, run, record the result),
which bounds how many exports, scheduled runs and notices one worker can get through.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="civgrid-bench-tasks-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SCRATCH / 'tasks.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civgrid.settings")
os.environ.setdefault("CIVGRID_VAR_DIR", str(SCRATCH))
os.environ["CIVGRID_TASKS"] = "db"
TASKS = int(os.environ.get("TASKS", "2000"))


def _new_postgres_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    if os.environ["DATABASE_URL"].startswith("postgres"):
        _new_postgres_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from civgrid.scheduling.queue import ping

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    for n in range(TASKS):
        ping.enqueue(n)
    enqueue_seconds = time.perf_counter() - started

    worker = [sys.executable, "-m", "civgrid.cli", "db_worker", "--batch", "--no-reload"]
    started = time.perf_counter()
    subprocess.run([*worker, "--no-startup-delay", "-v", "0"], cwd=ROOT, check=True)
    run_seconds = time.perf_counter() - started
    done = DBTaskResult.objects.filter(status="SUCCESSFUL").count()
    vendor = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"{vendor}: {TASKS} tasks")
    print(f"  enqueue            {TASKS / enqueue_seconds:8.0f} tasks/s")
    print(
        f"  one db_worker runs {done / run_seconds:8.0f} tasks/s  ({done} succeeded, {run_seconds:.1f} s incl. start-up)"
    )


if __name__ == "__main__":
    main()
