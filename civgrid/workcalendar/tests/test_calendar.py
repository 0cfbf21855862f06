import datetime as dt
from io import StringIO

import time_machine
from django.core.management import call_command

from civgrid.workcalendar.checks import current_year_calendar
from civgrid.workcalendar.models import CalendarOverride


def test_status_says_which_years_the_office_must_fill_in(db):
    out = StringIO()
    with time_machine.travel(dt.datetime(2026, 11, 25, 4, tzinfo=dt.UTC)):
        call_command("calendar-status", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("2026: official schedule bundled")
    assert lines[1].startswith("2027: NOT KNOWN")


def test_office_overrides_count_as_known_for_a_new_year(db):
    CalendarOverride.objects.create(day=dt.date(2027, 2, 6), is_workday=False, note="春节")
    out = StringIO()
    with time_machine.travel(dt.datetime(2026, 11, 25, 4, tzinfo=dt.UTC)):
        call_command("calendar-status", stdout=out)
    assert "2027: not bundled; 1 override day(s)" in out.getvalue()


def test_the_system_check_warns_only_when_the_current_year_is_unknown(db):
    with time_machine.travel(dt.datetime(2026, 6, 1, 4, tzinfo=dt.UTC)):
        assert current_year_calendar(None) == []
    with time_machine.travel(dt.datetime(2031, 3, 1, 4, tzinfo=dt.UTC)):
        warnings = current_year_calendar(None)
        assert [w.id for w in warnings] == ["civgrid.W001"]
        CalendarOverride.objects.create(day=dt.date(2031, 1, 1), is_workday=False, note="元旦")
        assert current_year_calendar(None) == []
