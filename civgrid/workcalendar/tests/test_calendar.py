import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from civgrid.scheduling.registry import Attention
from civgrid.workcalendar.checks import current_year_calendar
from civgrid.workcalendar.models import CalendarOverride
from civgrid.workcalendar.schedule import check_next_year, unknown_next_year


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


def test_from_december_an_unknown_next_year_needs_the_offices_attention(db):
    assert unknown_next_year(dt.date(2098, 11, 30)) is None
    assert unknown_next_year(dt.date(2098, 12, 1)) == 2099
    # 09:00 in Shanghai on 1 December is 01:00 UTC.
    with pytest.raises(Attention, match="no holidays for 2099"):
        check_next_year(dt.datetime(2098, 12, 1, 1, 0, tzinfo=dt.UTC))
    CalendarOverride.objects.create(day=dt.date(2099, 1, 1), is_workday=False)
    assert unknown_next_year(dt.date(2098, 12, 1)) is None
    assert "known" in check_next_year(dt.datetime(2098, 12, 1, 1, 0, tzinfo=dt.UTC))
