"""Payment runs at ten times the seed's roll: draft, draft again, approve, payment file, the
next month's draft with adjustments, and a year's figures — seconds printed, nothing asserted.

    .venv/bin/python bench/assistance.py                    # SQLite file in /tmp, N=20,000
    N=50000 .venv/bin/python bench/assistance.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civgrid_bench_assistance \\
        .venv/bin/python bench/assistance.py                # the database is migrated and EMPTIED

The roll is one 低保 programme paid per person (600 元); N enrolments on 500 households of one
district, 1 % of them ended after the first month is paid (so the second draft adjusts).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = Path(tempfile.mkdtemp(prefix="civgrid-bench-assistance-"))
N = int(os.environ.get("N", "20000"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SCRATCH / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civgrid.settings_test")
os.environ.setdefault("CIVGRID_VAR_DIR", str(SCRATCH))


def born(i: int) -> dt.date:
    return dt.date(1930, 1, 1) + dt.timedelta(days=i)  # one birthday each: unique IDs


def timed(label: str, func):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func()
    print(f"{label:<48} {time.perf_counter() - start:8.2f} s")
    return result


def main() -> None:
    civgrid = str(Path(sys.executable).with_name("civgrid"))
    subprocess.run([civgrid, "migrate", "-v0"], check=True, cwd=ROOT)
    subprocess.run([civgrid, "flush", "--no-input", "-v0"], check=True, cwd=ROOT)
    import django

    django.setup()
    from django.utils import timezone

    from civgrid.assistance import actions, figures, runs
    from civgrid.assistance.models import Beneficiary, BeneficiaryEvent, EndReason
    from civgrid.assistance.tests.factories import build_rolls, id_number, make_household
    from civgrid.notices.defaults import restore_default_rules
    from civgrid.testing import build_city, build_world

    restore_default_rules()
    w = build_rolls(build_city(build_world()))
    homes = [make_household(w.grid_a if i % 2 else w.grid_b) for i in range(500)]
    now = timezone.now()
    people = [
        Beneficiary(
            programme=w.dibao,
            household=homes[i % 500],
            name=f"老人{i}",
            id_number=id_number(dt.date(1930 + i % 15, 1 + i % 12, 1 + i % 28), serial=i),
            birth_on=dt.date(1930 + i % 15, 1 + i % 12, 1 + i % 28),
            persons=1,
            bank_name="农商银行",
            bank_account=f"6230{i:015d}",
            status="active",
            applied_on=dt.date(2025, 1, 1),
            starts_on=dt.date(2025, 1, 1),
            proposed_by=w.mz.user,
            approved_by=w.mz.user,
            approved_at=now,
            created_at=now,
            updated_at=now,
        )
        for i in range(N)
    ]
    timed(f"bulk insert {N:,} enrolments", lambda: Beneficiary.objects.bulk_create(people, 1000))
    march, april = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
    run = timed("draft March", lambda: runs.draft_run(w.dibao, march, actor=w.mz.user))
    run = timed(
        "draft March again (replaces its lines)",
        lambda: runs.draft_run(w.dibao, march, actor=w.mz.user),
    )
    run = timed(
        "approve March (copies names and accounts)", lambda: runs.approve_run(run, actor=w.mz.user)
    )
    data = timed("payment file (locks the run)", lambda: runs.payment_file(run, actor=w.mz.user))
    print(f"{'payment file size':<48} {len(data) / 1024:8.0f} KB")
    for b in Beneficiary.objects.order_by("pk")[: N // 100]:
        actions.propose_end(b, actor=w.mz.user, reason=EndReason.DIED, ends_on=dt.date(2026, 2, 9))
        actions.approve_end(b, actor=w.mz_b.user)
    april_run = timed(
        "draft April (1 % ended late: adjustments)",
        lambda: runs.draft_run(w.dibao, april, actor=w.mz.user),
    )
    print(
        f"{'April lines / adjustments':<48} {april_run.lines.count():>8} "
        f"{april_run.lines.filter(kind='adjustment').count():>6}"
    )
    timed(
        "figures of the year",
        lambda: figures.figures(w.office.user, dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
    )
    print(f"{'events':<48} {BeneficiaryEvent.objects.count():>8}")


if __name__ == "__main__":
    main()
