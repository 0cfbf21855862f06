"""The outbox survives a worker killed mid-run: a real `civgrid db_worker` process, killed with
SIGKILL while a delivery is in the fake channel's hands, on a database of its own: a file SQLite
database in the SQLite run, a fresh PostgreSQL database in the PostgreSQL run."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

N = 12
CIVGRID = Path(sys.executable).with_name("civgrid")


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "civgrid.notices.tests.worker_scenario", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def wait_for_lines(path: Path, n: int, worker: subprocess.Popen[bytes]) -> None:
    """Until the fake channel has been called n times (the worker is mid-run then)."""
    while not path.exists() or len(path.read_text().splitlines()) < n:
        assert worker.poll() is None, "the worker ended before it was killed"
        time.sleep(0.05)


@pytest.fixture
def scenario_database(tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database for the worker's process, of the run's kind."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'outbox.sqlite3'}"
        return
    import psycopg

    server = url.rsplit("/", 1)[0]
    name = f"civgrid_killed_worker_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_each_notice_once(
    tmp_path, scenario_database
):
    calls = tmp_path / "calls.txt"
    env = {
        **os.environ,
        "DATABASE_URL": scenario_database,
        "DJANGO_SETTINGS_MODULE": "civgrid.notices.tests.worker_settings",
        "CIVGRID_VAR_DIR": str(tmp_path / "var"),
        "CIVGRID_FAKE_CHANNEL_FILE": str(calls),
        "CIVGRID_FAKE_CHANNEL_SLEEP": "0.3",
    }
    subprocess.run([str(CIVGRID), "migrate", "-v0"], env=env, check=True)
    run(env, "seed", str(N))
    worker = subprocess.Popen(
        [str(CIVGRID), "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0"],
        env=env,
    )
    try:
        wait_for_lines(calls, 4, worker)
        # The fourth call is in the channel (sleeping after recording): killed there, the
        # worker never marks it sent.
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            worker.kill()
    before = collections.Counter(calls.read_text().splitlines())
    assert len(before) < N, "the worker finished before it was killed"
    assert "sending 1" in run(env, "states")

    run(env, "finish")

    after = collections.Counter(calls.read_text().splitlines())
    assert len(after) == N  # every notice reached the channel
    repeated = [key for key, n in after.items() if n > 1]
    # Only the delivery in flight at the kill went to the channel again, with the same key
    # (a provider honouring the key sends it once); nothing else twice.
    assert len(repeated) <= 1
    assert all(before[key] == 1 for key in repeated)
    assert run(env, "states").split() == ["sent", str(N)]
