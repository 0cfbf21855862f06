import datetime as dt
import random

import pytest
from django.utils import timezone

from civgrid.demo.district import build_district
from civgrid.reports.periods import Period
from civgrid.worklogs import demo
from civgrid.worklogs.models import WorkLog
from civgrid.worklogs.queries import totals

pytestmark = pytest.mark.django_db


def test_the_demo_logs_plausible_work_for_the_busy_units_over_the_window():
    district = build_district(random.Random(7), seed=7, n_grids=30, n_areas=4, n_workers=20)
    end = dt.datetime(2026, 4, 1, tzinfo=timezone.get_default_timezone())
    demo.populate(district, random.Random("7:worklogs"), end=end, days=31)
    logs = WorkLog.objects.all()
    assert logs.exists()
    assert {log.unit.code for log in logs.select_related("unit")} <= set(demo.PROFILES)
    days = set(logs.values_list("worked_on", flat=True))
    assert min(days) >= dt.date(2026, 3, 1) and max(days) == dt.date(2026, 3, 31)
    march = totals(logs, Period.month(dt.date(2026, 3, 1)))
    assert march.entries == logs.count()
    # the size the seeds' briefings print: hundreds of person-times, thousands of m³ a month
    assert 500 < march.person_times < 20_000
    assert march.volume_removed > 1000
    first = list(logs.order_by("id").values_list("unit_id", "worked_on", "person_times"))
    WorkLog.objects.all()._raw_delete(WorkLog.objects.db)
    demo.populate(district, random.Random("7:worklogs"), end=end, days=31)
    again = list(WorkLog.objects.order_by("id").values_list("unit_id", "worked_on", "person_times"))
    assert again == first
