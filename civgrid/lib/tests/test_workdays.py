import datetime as dt

import pytest

from civgrid.lib import workdays

D = dt.date


def test_a_make_up_saturday_is_a_working_day_and_the_festival_is_not():
    assert workdays.is_workday(D(2026, 2, 14))  # Saturday, 调休 for the Spring Festival
    assert workdays.is_workday(D(2026, 2, 28))  # Saturday, 调休
    assert not workdays.is_workday(D(2026, 2, 17))  # 春节, a Tuesday
    assert not workdays.is_workday(D(2026, 2, 21))  # an ordinary Saturday inside the holiday


def test_counting_across_the_spring_festival_uses_the_make_up_saturday():
    # Thursday 12 Feb + 3 working days: Fri 13, Sat 14 (make-up), then 15-23 off, Tue 24.
    assert workdays.add_workdays(D(2026, 2, 12), 3) == D(2026, 2, 24)


def test_counting_across_national_day():
    # 2026 国庆: 1-7 Oct off; Sat 10 Oct a make-up workday (Sunday 27 Sep too).
    assert workdays.add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert workdays.add_workdays(D(2026, 10, 9), 1) == D(2026, 10, 10)


def test_zero_days_means_the_next_working_day_including_today():
    assert workdays.add_workdays(D(2026, 11, 25), 0) == D(2026, 11, 25)
    assert workdays.add_workdays(D(2026, 11, 28), 0) == D(2026, 11, 30)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        workdays.add_workdays(D(2026, 1, 5), -1)


def test_an_override_wins_over_the_official_calendar():
    overrides = {D(2026, 11, 26): False, D(2026, 11, 28): True}
    assert not workdays.is_workday(D(2026, 11, 26), overrides)
    assert workdays.is_workday(D(2026, 11, 28), overrides)
    assert workdays.add_workdays(D(2026, 11, 25), 2, overrides) == D(2026, 11, 28)


def test_a_year_the_library_does_not_know_falls_back_to_weekdays_then_overrides():
    assert not workdays.library_knows(D(2030, 1, 2))
    assert workdays.is_workday(D(2030, 1, 2))  # a Wednesday
    assert not workdays.is_workday(D(2030, 1, 5))  # a Saturday
    assert not workdays.is_workday(D(2030, 1, 2), {D(2030, 1, 2): False})


def test_workdays_between_counts_the_open_closed_interval_both_ways():
    assert workdays.workdays_between(D(2026, 2, 12), D(2026, 2, 24)) == 3
    assert workdays.workdays_between(D(2026, 2, 24), D(2026, 2, 12)) == -3
