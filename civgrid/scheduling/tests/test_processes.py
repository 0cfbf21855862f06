"""The real commands as separate processes on a database file: a scheduler killed (SIGKILL)
and started again, then two schedulers at once, enqueue each slot once — as many task rows as
run rows — and one `db_worker --batch` runs them all."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def civgrid(env, *args, **kwargs):
    return subprocess.Popen(
        [sys.executable, "-m", "civgrid.cli", *args], cwd=ROOT, env=env, **kwargs
    )


def rows(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database, timeout=20) as conn:
        return conn.execute(sql).fetchall()


def wait_for_runs(database: Path, count: int) -> None:
    while rows(database, "SELECT COUNT(*) FROM scheduling_scheduledrun")[0][0] < count:
        time.sleep(0.1)


def test_killed_restarted_and_doubled_schedulers_enqueue_each_slot_once(tmp_path):
    database = tmp_path / "civgrid.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "CIVGRID_VAR_DIR": str(tmp_path),
        "CIVGRID_TASKS": "db",
        "DJANGO_SETTINGS_MODULE": "civgrid.settings",
    }
    assert civgrid(env, "migrate", "--noinput", "-v", "0").wait(timeout=300) == 0
    jobs = int(
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from civgrid.scheduling import registry; print(len(registry.jobs()))",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )

    first = civgrid(env, "scheduler", "--interval", "0.2", stdout=subprocess.DEVNULL)
    wait_for_runs(database, jobs)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert civgrid(env, "scheduler", "--once", stdout=subprocess.DEVNULL).wait(timeout=120) == 0
    pair = [
        civgrid(env, "scheduler", "--interval", "0.1", stdout=subprocess.PIPE) for _ in range(2)
    ]
    for scheduler in pair:  # both running: the stop handler is set before this first line
        assert scheduler.stdout.readline().startswith(b"scheduler: a tick every")
    time.sleep(2)  # let both tick a number of times side by side (not an assertion on time)
    for scheduler in pair:
        scheduler.send_signal(signal.SIGTERM)
        assert scheduler.wait(timeout=30) == 0

    runs = rows(database, "SELECT job, slot FROM scheduling_scheduledrun")
    assert len({job for job, _ in runs}) == jobs
    assert len(set(runs)) == len(runs)
    tasks = rows(database, "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult")[0][0]
    assert tasks == len(runs)  # each slot enqueued once

    worker = civgrid(env, "db_worker", "--batch", "--no-reload", "--no-startup-delay", "-v", "0")
    assert worker.wait(timeout=300) == 0
    statuses = rows(
        database, "SELECT status, COUNT(*) FROM scheduling_scheduledrun GROUP BY status"
    )
    assert dict(statuses).keys() <= {"done", "attention"}
    succeeded = rows(
        database,
        "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'",
    )
    assert succeeded[0][0] == len(runs)
