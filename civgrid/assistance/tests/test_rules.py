"""The pure rules: ID numbers (GB 11643), ages across birthdays, bands, standards by date."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from civgrid.assistance import rules
from civgrid.assistance.tests.factories import id_number
from civgrid.lib import idnumbers

D = dt.date


def std(valid_from, amount, low=0, high=None):
    return SimpleNamespace(valid_from=valid_from, amount=Decimal(amount), min_age=low, max_age=high)


ELDERLY = [
    std(D(2025, 1, 1), "50", 80, 90),
    std(D(2025, 1, 1), "100", 90, 100),
    std(D(2025, 1, 1), "300", 100),
]


def test_a_valid_id_number_is_accepted_and_normalised():
    assert idnumbers.validate("11010519491231002x") == "11010519491231002X"
    assert idnumbers.validate(" 110105 19491231 002X ") == "11010519491231002X"
    assert idnumbers.birth_date("11010519491231002X") == D(1949, 12, 31)


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("110105194912310021", "check digit"),
        ("110105194913310021", "birth date"),  # month 13, with its right check digit
        ("1101051949123100", "18 characters"),
        ("11010519491231002Y", "17 digits"),
    ],
)
def test_a_bad_id_number_is_refused_with_its_reason(number, why):
    with pytest.raises(idnumbers.BadIdNumber, match=why):
        idnumbers.validate(number)


def test_an_elderly_persons_number_may_carry_a_region_code_newer_than_the_person():
    # 川汇区 (411602) exists since 2000; a card first issued there to a man born in 1936 is real.
    number = id_number(D(1936, 3, 15), serial=2)
    assert idnumbers.validate(number) == number


def test_an_unknown_region_code_is_refused():
    with pytest.raises(idnumbers.BadIdNumber, match="region"):
        idnumbers.validate(id_number(D(1950, 1, 1), region="999999"))


def test_masks_keep_only_what_tells_people_apart():
    assert idnumbers.mask("11010519491231002X") == "110105********002X"
    assert idnumbers.mask_account("6230 5204 6000 1234 567") == "***************4567"


def test_age_changes_on_the_birthday_not_before():
    born = D(1946, 3, 15)
    assert rules.age_on(born, D(2026, 3, 14)) == 79
    assert rules.age_on(born, D(2026, 3, 15)) == 80


def test_a_leap_day_birthday_counts_from_the_first_of_march_in_other_years():
    born = D(1948, 2, 29)
    assert rules.age_on(born, D(2027, 2, 28)) == 78
    assert rules.age_on(born, D(2027, 3, 1)) == 79


def test_eligibility_for_an_age_band_turns_on_the_birthday():
    born = D(1946, 3, 15)
    before = rules.eligibility_problems(min_age=80, max_age=None, birth_on=born, on=D(2026, 3, 14))
    on_day = rules.eligibility_problems(min_age=80, max_age=None, birth_on=born, on=D(2026, 3, 15))
    assert before and "79" in before[0]
    assert on_day == []


def test_an_orphan_allowance_ends_at_eighteen():
    born = D(2008, 6, 1)
    assert (
        rules.eligibility_problems(min_age=None, max_age=18, birth_on=born, on=D(2026, 5, 31)) == []
    )
    assert rules.eligibility_problems(min_age=None, max_age=18, birth_on=born, on=D(2026, 6, 1))


def test_the_band_amount_rises_the_month_after_the_ninetieth_birthday():
    born = D(1936, 3, 15)

    def amount(month):
        return rules.monthly_amount(ELDERLY, birth_on=born, persons=1, per_person=True, month=month)

    assert amount(D(2026, 3, 1)) == Decimal("50")
    assert amount(D(2026, 4, 1)) == Decimal("100")


def test_a_birthday_on_the_first_of_the_month_counts_that_month():
    born = D(1936, 4, 1)
    assert rules.monthly_amount(
        ELDERLY, birth_on=born, persons=1, per_person=True, month=D(2026, 4, 1)
    ) == Decimal("100")


def test_a_standard_changing_mid_year_applies_from_its_first_full_month():
    standards = [std(D(2025, 1, 1), "600"), std(D(2026, 7, 1), "650"), std(D(2026, 10, 15), "700")]

    def amount(month, persons=3):
        return rules.monthly_amount(
            standards, birth_on=D(1970, 1, 1), persons=persons, per_person=True, month=month
        )

    assert amount(D(2026, 6, 1)) == Decimal("1800")
    assert amount(D(2026, 7, 1)) == Decimal("1950")
    # A standard from the 15th is not in force on the 1st: October keeps 650, November gets 700.
    assert amount(D(2026, 10, 1)) == Decimal("1950")
    assert amount(D(2026, 11, 1)) == Decimal("2100")
    # Per household: the standard once, whatever the persons.
    assert rules.monthly_amount(
        standards, birth_on=D(1970, 1, 1), persons=3, per_person=False, month=D(2026, 7, 1)
    ) == Decimal("650")


def test_no_standard_before_the_first_one_means_nothing_is_owed():
    assert rules.monthly_amount(
        ELDERLY, birth_on=D(1940, 1, 1), persons=1, per_person=True, month=D(2024, 12, 1)
    ) == Decimal("0.00")


def test_a_month_is_paid_from_the_start_month_through_the_end_month():
    start, end = D(2026, 2, 20), D(2026, 5, 3)
    paid = [
        m.month
        for m in rules.months_between(D(2026, 1, 1), D(2026, 7, 1))
        if rules.paid_in_month(start, end, m)
    ]
    assert paid == [2, 3, 4, 5]
    assert rules.previous_month(D(2026, 1, 1)) == D(2025, 12, 1)
    assert rules.next_month(D(2026, 12, 1)) == D(2027, 1, 1)
