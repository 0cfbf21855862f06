"""Benchmark: the ledger page and the API list at district scale, per role.

    .venv/bin/python bench/ledger.py [--cases 50000] [--repeat 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civgrid_bench .venv/bin/python bench/ledger.py

Builds the demo district (300 cases through the real workflow) in a fresh database named by
DATABASE_URL (default: a SQLite file under /tmp), multiplies those cases by bulk copies up to
--cases, then times the ledger's first page, its overdue filter and the API's first page for
the office, a grid worker and a unit clerk. Prints median milliseconds and query counts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civgrid.settings_test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/civgrid-bench.sqlite3")
os.environ.setdefault("CIVGRID_VAR_DIR", "/tmp/civgrid-bench-var")


def reset_database() -> None:
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        Path(db["NAME"]).unlink(missing_ok=True)
    else:
        import psycopg

        admin_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    connection.close()


def multiply_cases(target: int) -> int:
    """Copy the demo's cases (without events: the ledger lists cases) up to `target` rows."""
    from civgrid.cases.models import Case

    base = list(Case.objects.all())
    batch, n = [], Case.objects.count()
    i = 0
    while n < target:
        src = base[i % len(base)]
        i += 1
        src.pk = None
        src.tracking_code = f"B{n:09d}"
        src.client_key = None
        batch.append(
            Case(**{f.attname: getattr(src, f.attname) for f in Case._meta.concrete_fields})
        )
        n += 1
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    return Case.objects.count()


def timed(client, url: str, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    reset_database()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from civgrid.cases.models import Case
    from civgrid.demo.actions import build_demo
    from civgrid.org.models import Person, Role

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    build_demo(seed=2026, n_cases=300)
    total = multiply_cases(args.cases)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics after the bulk load, as autovacuum would
    print(
        f"database: {connection.vendor}; cases: {total:,} (built in {time.perf_counter() - t0:.1f} s)"
    )

    people = {
        "office": Person.objects.get(role=Role.OFFICE),
        # the worker of the busiest grid, so the scoped list has something to page through
        "grid worker": Person.objects.filter(
            role=Role.GRID_WORKER,
            regions=Case.objects.values("grid").annotate(n=Count("id")).order_by("-n")[0]["grid"],
        ).first(),
        "unit clerk": Person.objects.filter(role=Role.UNIT_CLERK, unit__code="CGJ").first()
        or Person.objects.filter(role=Role.UNIT_CLERK).first(),
    }
    from civgrid.cases.queries import cases_for_user

    pages = [
        ("ledger page 1", "/cases/"),
        ("ledger overdue", "/cases/?overdue=yes"),
        ("API list page 1", "/api/v1/cases/"),
    ]
    print(f"{'who':<12} {'sees':>8}  " + "  ".join(f"{name:>22}" for name, _ in pages))
    for who, person in people.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(person.user)
        sees = cases_for_user(person.user).count()
        cells = []
        for _name, url in pages:
            ms, queries = timed(client, url, args.repeat)
            cells.append(f"{ms:8.1f} ms {queries:3d} q")
        print(f"{who:<12} {sees:>8,}  " + "  ".join(f"{c:>22}" for c in cells))
    assert Case.objects.count() == total


if __name__ == "__main__":
    main()
