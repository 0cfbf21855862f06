import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from civgrid.scheduling.registry import Job, register
from civgrid.scheduling.slots import latest_slot, next_slot

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_every_fifteen_minutes_slots_count_from_local_midnight():
    job = Job("t", "x", every=15)
    assert latest_slot(job, local(2026, 3, 2, 0, 7)) == local(2026, 3, 2, 0, 0)
    assert latest_slot(job, local(2026, 3, 2, 9, 45)) == local(2026, 3, 2, 9, 45)
    assert next_slot(job, local(2026, 3, 2, 23, 50)) == local(2026, 3, 3, 0, 0)


def test_a_daily_slot_before_its_local_time_is_yesterdays():
    job = Job("t", "x", at=dt.time(8, 30))
    # 00:10 UTC is 08:10 in Shanghai: today's 08:30 has not come yet.
    now = dt.datetime(2026, 3, 2, 0, 10, tzinfo=dt.UTC)
    assert latest_slot(job, now) == local(2026, 3, 1, 8, 30)
    assert next_slot(job, now) == local(2026, 3, 2, 8, 30)
    assert latest_slot(job, local(2026, 3, 2, 8, 30)) == local(2026, 3, 2, 8, 30)


def test_a_monthly_slot_on_the_31st_falls_on_the_last_day_of_a_short_month():
    job = Job("t", "x", at=dt.time(7, 0), monthly_on=31)
    assert latest_slot(job, local(2026, 3, 15, 12, 0)) == local(2026, 2, 28, 7, 0)
    assert next_slot(job, local(2026, 3, 15, 12, 0)) == local(2026, 3, 31, 7, 0)
    assert latest_slot(job, local(2026, 1, 2, 0, 0)) == local(2025, 12, 31, 7, 0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"every": 7},
        {"at": "8:30"},
        {"at": "24:00"},
        {},
        {"every": 5, "at": "08:00"},
        {"every": 5, "monthly_on": 1},
    ],
)
def test_register_refuses_a_schedule_it_cannot_keep(only_jobs, kwargs):
    with pytest.raises(ValueError):
        register("t.bad", func="x", **kwargs)


def test_a_name_registered_twice_is_refused(only_jobs):
    register("t.once", func="x", every=5)
    with pytest.raises(ValueError, match="twice"):
        register("t.once", func="y", every=10)
