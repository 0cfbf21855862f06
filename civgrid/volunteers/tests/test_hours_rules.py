"""The rules of service hours and star levels (civgrid/volunteers/hours.py), on plain values."""

import datetime as dt
from decimal import Decimal

from civgrid.lib import idnumbers
from civgrid.volunteers import hours

T = dt.datetime(2026, 5, 9, 1, 0, tzinfo=dt.UTC)


def at(minutes: int) -> dt.datetime:
    return T + dt.timedelta(minutes=minutes)


def credit(check_in, check_out, *, length=180, cap=None, taken=()):
    return hours.credited_hours(
        at(check_in),
        at(check_out),
        starts=T,
        ends=at(length),
        cap=Decimal(cap if cap is not None else length / 60),
        taken=[(at(s), at(e)) for s, e in taken],
    )[0]


def test_time_outside_the_activity_window_earns_nothing():
    assert credit(-60, 240) == Decimal("3.00")
    assert credit(-60, 60) == Decimal("1.00")


def test_hours_are_rounded_down_to_half_hours():
    assert credit(0, 29) == Decimal("0.00")
    assert credit(0, 30) == Decimal("0.50")
    assert credit(0, 89) == Decimal("1.00")
    assert credit(0, 91) == Decimal("1.50")


def test_the_per_activity_cap_limits_the_hours():
    assert credit(0, 180, cap=2) == Decimal("2.00")
    assert credit(0, 60, cap=2) == Decimal("1.00")


def test_time_already_credited_elsewhere_is_not_counted_twice():
    assert credit(0, 180, taken=[(60, 120)]) == Decimal("2.00")
    assert credit(0, 180, taken=[(-60, 90), (60, 150)]) == Decimal("0.50")
    assert credit(0, 180, taken=[(180, 240)]) == Decimal("3.00")


def test_a_check_out_before_the_start_credits_nothing():
    assert hours.credited_hours(at(-90), at(-30), starts=T, ends=at(60), cap=Decimal(1)) == (
        Decimal("0.00"),
        None,
    )


def test_the_star_level_is_reached_exactly_at_each_threshold():
    assert hours.star_level(Decimal("99.5")) == 0
    assert hours.star_level(Decimal("100")) == 1
    assert hours.star_level(Decimal("299.99")) == 1
    assert hours.star_level(Decimal("1500")) == 5
    assert hours.star_level(Decimal("10"), thresholds=(10, 20)) == 1


def test_thresholds_come_from_the_setting(settings):
    settings.CIVGRID_VOLUNTEER_STARS = (5, 10)
    assert hours.star_level(Decimal("10")) == 2
    assert hours.hours_to_next(Decimal("6")) == Decimal("4")


def test_each_level_keeps_the_date_it_was_reached():
    credits = [
        (at(0), Decimal(60)),
        (at(1), Decimal(39)),
        (at(2), Decimal(301)),
        (at(3), Decimal(-50)),
    ]
    assert hours.levels_reached(credits) == [(1, at(2)), (2, at(2))]


def test_id_numbers_are_checked_by_the_gb_11643_check_digit():
    assert idnumbers.is_valid("11010519491231002X")
    assert idnumbers.is_valid("11010519491231002x")
    assert not idnumbers.is_valid("110105194912310021")
    assert not idnumbers.is_valid("110105194913310029")  # month 13
    # full-width digits (typed with a Chinese input method) are the same number, stored as ASCII
    assert idnumbers.normalise("１１０１０５１９４９１２３１００２X") == "11010519491231002X"
    assert idnumbers.is_valid(idnumbers.with_check("41160219800101123"))
