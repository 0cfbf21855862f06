"""The volunteer side at the seed's scale: building the demo's 2,000 volunteers and two years of
attendances, then the figures, the national export and one certificate's record.

    .venv/bin/python bench/volunteers.py                       # SQLite file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civgrid_bench_volunteers \\
        .venv/bin/python bench/volunteers.py                   # PostgreSQL (DROPPED and re-created)

Prints the rows made and the seconds each step took (a figure from one run on a shared
machine, not a promise).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
SCRATCH = Path(tempfile.mkdtemp(prefix="civgrid-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SCRATCH / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civgrid.settings")
os.environ.setdefault("CIVGRID_VAR_DIR", str(SCRATCH))
os.environ.setdefault("CIVGRID_DEBUG", "1")


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases
    from django.utils import timezone

    if connection.vendor == "postgresql":
        setup_databases(verbosity=0, interactive=False, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    from civgrid.demo.district import build_district
    from civgrid.volunteers import demo, stats, views
    from civgrid.volunteers.models import HoursCredit, Participation, Volunteer

    end = timezone.now()
    district = build_district(random.Random(1), seed=1, n_grids=60, n_areas=13, n_workers=40)
    began = time.perf_counter()
    demo.populate(district, random.Random(7), end=end, days=90)
    built = time.perf_counter() - began
    print(
        f"demo: {Volunteer.objects.count():,} volunteers, {Participation.objects.count():,} "
        f"attendances, {HoursCredit.objects.count():,} credits in {built:.1f} s"
    )
    year = (end - dt.timedelta(days=365), end)
    began = time.perf_counter()
    f = stats.figures(district.office, *year)
    print(
        f"figures of a year: {time.perf_counter() - began:.2f} s "
        f"({f.activities:,} activities, {f.hours:,} h, {f.person_times:,} person-times, "
        f"stars {[n for _level, n in f.stars]})"
    )
    began = time.perf_counter()
    rows = sum(1 for _row in stats.national_rows(district.office, *year).iterator())
    print(f"national export rows of a year: {rows:,} in {time.perf_counter() - began:.2f} s")
    keen = HoursCredit.objects.values_list("volunteer_id", flat=True).order_by("-hours").first()
    began = time.perf_counter()
    record = views._record(Volunteer.objects.get(pk=keen))
    print(
        f"one volunteer's record ({len(record['credits'])} credits): {time.perf_counter() - began:.3f} s"
    )


if __name__ == "__main__":
    main()
