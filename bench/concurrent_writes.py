"""Concurrent clients against a real threaded server: answers by status, and requests/s.

    .venv/bin/python bench/concurrent_writes.py                       # SQLite file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civgrid_concurrency \\
        .venv/bin/python bench/concurrent_writes.py                   # PostgreSQL
    ... CIVGRID_CONN_MAX_AGE=0 .venv/bin/python bench/concurrent_writes.py  # no persistent conns

Builds a scratch database (SQLite: a new file; PostgreSQL: the database named is DROPPED and
created again: never point it at real data), the test personas and a few
assigned cases, then starts `civgrid runserver` (threaded, as `make demo` runs it; see
civgrid/cases/tests/server_support.py) and runs CLIENTS threads of REQUESTS requests each,
through the token API: a quarter report a case with a fresh Idempotency-Key and send it again
(the replay), a quarter comment on one of the shared cases at the version they just read (so
some are 409 stale), half read the ledger or a case. Prints the answers by status and the
requests per second. The issue 15 tester saw 500 "database is locked" for 15-53 % of writes on
SQLite before IMMEDIATE transactions and WAL; no answer here should be 5xx.
"""

from __future__ import annotations

import collections
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
SCRATCH = Path(tempfile.mkdtemp(prefix="civgrid-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SCRATCH / 'source.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civgrid.settings")
os.environ.setdefault("CIVGRID_VAR_DIR", str(SCRATCH))
# The same settings as the runserver it starts (server_support): DEBUG on, the demo key.
os.environ.setdefault("CIVGRID_DEBUG", "1")

CLIENTS = int(os.environ.get("CLIENTS", "16"))
REQUESTS = int(os.environ.get("REQUESTS", "40"))
SHARED_CASES = 4


def _new_postgres_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if os.environ["DATABASE_URL"].startswith("postgres"):
    _new_postgres_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from civgrid.cases.tests.server_support import call, running_server  # noqa: E402
from civgrid.testing import build_world, drive, report  # noqa: E402


def _scene() -> tuple[dict[str, str], list[int]]:
    call_command("migrate", verbosity=0)
    world = build_world()
    people = {"worker_a": world.worker_a, "worker_b": world.worker_b, "office": world.office}
    tokens = {name: Token.objects.create(user=p.user).key for name, p in people.items()}
    shared = [drive(report(world), world, "register", "assign").pk for _ in range(SHARED_CASES)]
    return tokens, shared


def _client(host: str, n: int, tokens: dict[str, str], shared: list[int], out: list[int]) -> None:
    worker = "worker_a" if n % 2 == 0 else "worker_b"
    for i in range(REQUESTS):
        kind = i % 4
        if kind == 0:
            key = f"bench-{n}-{i}"
            body = {
                "source": "patrol",
                "category": "ZDJY",
                "description": f"井盖缺失 {key}",
                "longitude": 114.605 if worker == "worker_a" else 114.615,
                "latitude": 33.605,
            }
            headers = {"Idempotency-Key": key}
            out.append(
                call(
                    host, "POST", "/api/v1/cases/", token=tokens[worker], body=body, headers=headers
                ).status
            )
            out.append(
                call(
                    host, "POST", "/api/v1/cases/", token=tokens[worker], body=body, headers=headers
                ).status
            )
        elif kind == 1:
            pk = shared[(n + i) % len(shared)]
            seen = call(host, "GET", f"/api/v1/cases/{pk}/", token=tokens["office"])
            out.append(seen.status)
            out.append(
                call(
                    host,
                    "POST",
                    f"/api/v1/cases/{pk}/actions/comment/",
                    token=tokens["office"],
                    body={"version": seen.data.get("version"), "note": f"督办 {n}-{i}"},
                ).status
            )
        elif kind == 2:
            out.append(call(host, "GET", "/api/v1/cases/", token=tokens["office"]).status)
        else:
            out.append(call(host, "GET", "/api/v1/cases/", token=tokens[worker]).status)


def main() -> int:
    tokens, shared = _scene()
    answers: list[list[int]] = [[] for _ in range(CLIENTS)]
    with running_server(SCRATCH) as server:
        threads = [
            threading.Thread(target=_client, args=(server.host, n, tokens, shared, answers[n]))
            for n in range(CLIENTS)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    statuses = collections.Counter(s for out in answers for s in out)
    total = sum(statuses.values())
    settings = connection.settings_dict
    print(f"database: {connection.vendor} (CONN_MAX_AGE={settings['CONN_MAX_AGE']})")
    print(f"{CLIENTS} clients x {REQUESTS} steps: {total} requests in {elapsed:.1f} s")
    print(f"requests/s: {total / elapsed:.1f}")
    for status, count in sorted(statuses.items()):
        print(f"  {status}: {count} ({100 * count / total:.1f} %)")
    errors = sum(c for s, c in statuses.items() if s >= 500)
    print(f"5xx: {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
