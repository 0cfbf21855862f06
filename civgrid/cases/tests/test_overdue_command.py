import datetime as dt
from io import StringIO

import time_machine
from django.core.management import call_command

from civgrid.testing import drive, report


def test_the_overdue_list_names_the_unit_and_how_late_each_case_is(world):
    with time_machine.travel(dt.datetime(2026, 11, 23, 2, tzinfo=dt.UTC), tick=False):
        late = drive(report(world), world, "register", "assign")  # last day Mon 30 Nov
        on_time = drive(
            report(world), world, "register", "assign", "accept", "submit", "verify_pass"
        )
    out = StringIO()
    with time_machine.travel(dt.datetime(2026, 12, 3, 2, tzinfo=dt.UTC), tick=False):
        call_command("overdue", stdout=out)
    text = out.getvalue()
    assert "overdue cases: 1" in text
    assert f"{world.unit.name}: 1" in text
    assert late.tracking_code in text and on_time.tracking_code not in text
    assert "3 working day(s) late" in text  # Tue 1, Wed 2, Thu 3 Dec
