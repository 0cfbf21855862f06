"""How long the enterprise-file measures take at city scale, printed.

    .venv/bin/python bench/enterprise_files.py            # SQLite file in /tmp, N=20000
    N=5000 .venv/bin/python bench/enterprise_files.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civgrid_bench_files \\
        .venv/bin/python bench/enterprise_files.py        # the database must exist; it is
                                                          # migrated and EMPTIED (scratch only)

Builds a scratch database with N enterprises of every kind in 300 grids, each with its kind's
required documents (some missing, expired or expiring), then times, as the city office (who
sees everything), `completeness` (一企一档 done for N of M per kind, read in Python from one
prefetch), `incomplete_files` for 规上企业, and `expiring_documents` (one query: count, and the
first 500 rows the page shows). Median of 3 runs after a warm-up.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = Path(tempfile.mkdtemp(prefix="civgrid-bench-files-"))
N = int(os.environ.get("N", "20000"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SCRATCH / 'bench.sqlite3'}")
os.environ["DJANGO_SETTINGS_MODULE"] = "civgrid.settings_test"
os.environ["CIVGRID_VAR_DIR"] = str(SCRATCH)
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int = 3) -> float:
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    import datetime as dt
    import random

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from civgrid.enterprises.models import (
        REQUIRED_DOCUMENTS,
        Enterprise,
        EnterpriseDocument,
        Kind,
    )
    from civgrid.enterprises.queries import completeness, expiring_documents, incomplete_files
    from civgrid.territory.models import Region

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(1)
    district = Region.objects.create(code="D", name="区", level=Region.Level.DISTRICT)
    grids = [
        Region.objects.create(
            code=f"G{i:03d}", name=f"网格{i}", level=Region.Level.GRID, parent=district
        )
        for i in range(300)
    ]
    now = timezone.now()
    today = timezone.localdate()
    kinds = list(Kind.values)
    Enterprise.objects.bulk_create(
        (
            Enterprise(
                name=f"企业{i}",
                kind=rng.choice(kinds),
                credit_code="" if rng.random() < 0.1 else f"C{i:017d}",
                address=f"路{i}号",
                grid=rng.choice(grids),
                legal_person="王",
                legal_phone="13900000000",
                safety_person="李",
                safety_phone="13900000001",
                staff=5,
                created_at=now,
                updated_at=now,
            )
            for i in range(N)
        ),
        batch_size=2000,
    )
    docs = []
    for enterprise in Enterprise.objects.only("id", "kind"):
        for kind in REQUIRED_DOCUMENTS[enterprise.kind]:
            if rng.random() < 0.1:
                continue
            expires = today + dt.timedelta(days=rng.randint(-60, 900))
            docs.append(
                EnterpriseDocument(
                    enterprise_id=enterprise.pk,
                    kind=kind,
                    expires_on=expires,
                    file=f"enterprises/{enterprise.pk}/{kind}.pdf",
                    sha256="0" * 64,
                    uploaded_at=now,
                )
            )
    EnterpriseDocument.objects.bulk_create(docs, batch_size=5000)
    office = get_user_model().objects.create_superuser("bench", password="x")  # the city office

    rows = completeness(office, today)
    done = sum(r.done for r in rows)
    print(f"database: {os.environ['DATABASE_URL'].split(':')[0]}")
    print(f"enterprises: {N}, documents: {len(docs)}, files done: {done}")
    print(
        f"completeness (all kinds):          {timed(lambda: completeness(office, today)) * 1000:8.0f} ms"
    )
    print(
        "incomplete_files (规上企业):        "
        f"{timed(lambda: incomplete_files(office, today, kind=Kind.ABOVE_SCALE)) * 1000:8.0f} ms"
    )
    print(
        "expiring_documents count:          "
        f"{timed(lambda: expiring_documents(office, today).count()) * 1000:8.0f} ms"
    )
    print(
        "expiring_documents first 500 rows: "
        f"{timed(lambda: list(expiring_documents(office, today)[:500])) * 1000:8.0f} ms"
    )


if __name__ == "__main__":
    main()
