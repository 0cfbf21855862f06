import datetime as dt

import time_machine
from django.utils import timezone

from civgrid.cases import deadlines
from civgrid.cases.models import Urgency
from civgrid.testing import drive, make_category, report
from civgrid.workcalendar.models import CalendarOverride

SHANGHAI_10AM_12_FEB = dt.datetime(2026, 2, 12, 2, 0, tzinfo=dt.UTC)


def test_deadline_across_the_spring_festival_counts_the_make_up_saturday(db):
    category = make_category(rules={Urgency.NORMAL: 3})
    due_at = deadlines.compute_due_at(category, Urgency.NORMAL, SHANGHAI_10AM_12_FEB)
    assert deadlines.due_day(due_at) == dt.date(2026, 2, 24)
    # The deadline is the end of that day in Asia/Shanghai.
    assert timezone.localtime(due_at) == dt.datetime(
        2026, 2, 25, tzinfo=timezone.get_default_timezone()
    )


def test_each_urgency_has_its_own_rule_and_missing_rules_use_the_category_default(db):
    category = make_category(rules={Urgency.URGENT: 1}, working_days=10)
    start = dt.datetime(2026, 11, 23, 2, tzinfo=dt.UTC)  # Monday
    urgent = deadlines.compute_due_at(category, Urgency.URGENT, start)
    normal = deadlines.compute_due_at(category, Urgency.NORMAL, start)
    assert deadlines.due_day(urgent) == dt.date(2026, 11, 24)
    assert deadlines.due_day(normal) == dt.date(2026, 12, 7)


def test_the_offices_calendar_override_moves_deadlines(db):
    category = make_category(rules={Urgency.NORMAL: 1})
    start = dt.datetime(2026, 11, 23, 2, tzinfo=dt.UTC)
    CalendarOverride.objects.create(day=dt.date(2026, 11, 24), is_workday=False, note="地方假日")
    due = deadlines.compute_due_at(category, Urgency.NORMAL, start)
    assert deadlines.due_day(due) == dt.date(2026, 11, 25)


def test_a_report_late_in_the_evening_counts_from_the_local_day(db):
    category = make_category(rules={Urgency.NORMAL: 1})
    # 23:30 in Shanghai on Monday 23 Nov is still 15:30 UTC that day; 00:30 Tuesday is the 23rd UTC.
    tuesday_0030 = dt.datetime(2026, 11, 23, 16, 30, tzinfo=dt.UTC)
    due = deadlines.compute_due_at(category, Urgency.NORMAL, tuesday_0030)
    assert deadlines.due_day(due) == dt.date(2026, 11, 25)


def test_overdue_is_derived_from_the_deadline_and_the_state(world):
    with time_machine.travel(dt.datetime(2026, 11, 23, 2, tzinfo=dt.UTC), tick=False):
        case = drive(report(world), world, "register", "assign")
    last_day = deadlines.due_day(case.due_at)
    assert last_day == dt.date(2026, 11, 30)
    end_of_last_day = case.due_at
    assert not case.is_overdue(end_of_last_day - dt.timedelta(seconds=1))
    assert case.is_overdue(end_of_last_day)
    with time_machine.travel(end_of_last_day + dt.timedelta(hours=1), tick=False):
        case = drive(case, world, "accept", "submit", "verify_pass")
    assert not case.is_overdue(end_of_last_day + dt.timedelta(days=3))
    assert case.events.get(action="verify_pass").data["on_time"] is False
