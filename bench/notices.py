"""Notices delivered per second by one worker (console channel), printed.

    .venv/bin/python bench/notices.py                  # SQLite file in /tmp, N=2000
    N=5000 .venv/bin/python bench/notices.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civgrid_bench_notices \\
        .venv/bin/python bench/notices.py              # PostgreSQL: the database must exist;
                                                       # it is migrated and EMPTIED (scratch only)

Builds a scratch database, N office people and one event that reaches each of them through
the console channel (N notices, N deliveries, one deliver task), then runs one
`civgrid db_worker --batch` and times it from start to exit (start-up included), and prints
notices per second. The console channel writes a row per message, like the inbox.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = Path(tempfile.mkdtemp(prefix="civgrid-bench-notices-"))
N = int(os.environ.get("N", "2000"))


def main() -> None:
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{SCRATCH / 'bench.sqlite3'}"),
        "DJANGO_SETTINGS_MODULE": "civgrid.settings_test",  # console channel, fast hashes
        "CIVGRID_VAR_DIR": str(SCRATCH),
    }
    civgrid = str(Path(sys.executable).with_name("civgrid"))
    subprocess.run([civgrid, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    # A database named by DATABASE_URL is emptied: scratch data only.
    subprocess.run([civgrid, "flush", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    scenario = [sys.executable, "-m", "civgrid.notices.tests.worker_scenario"]
    subprocess.run([*scenario, "seed", str(N)], env=env, check=True, cwd=ROOT)
    start = time.perf_counter()
    subprocess.run(
        [civgrid, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - start
    states = subprocess.run(
        [*scenario, "states"], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    print(f"database: {env['DATABASE_URL'].split(':')[0]}")
    print(f"deliveries by state: {' '.join(states)}")
    print(f"{N} notices delivered by one worker in {elapsed:.2f} s: {N / elapsed:.0f} notices/s")


if __name__ == "__main__":
    main()
