"""The rules of the rolls as plain functions (认定与标准): ages, bands, eligibility, amounts.

- Age is counted in whole years on a day: a person born on 15 March 1946 is 79 on 14 March
  2026 and 80 on 15 March (born on 29 February: the birthday is 1 March in other years).
- A month is paid when the enrolment has started by the month's last day and has not ended
  before its first day ("次月停发": who dies on 3 March is paid for March, not April).
- The amount of a month uses the standard in force on the month's first day, in the band of
  the age the person has on that day: who turns 90 on 15 March is paid the 90+ band from
  April. Per-person programmes pay the standard times the persons covered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol


class _Standard(Protocol):
    valid_from: dt.date
    min_age: int
    max_age: int | None
    amount: Decimal


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years of age on `day`."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def in_band(age: int, min_age: int | None, max_age: int | None) -> bool:
    return (min_age is None or age >= min_age) and (max_age is None or age < max_age)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: dt.date) -> dt.date:
    return dt.date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The months from `first`'s to `last`'s, both included."""
    months = []
    month = month_start(first)
    while month <= month_start(last):
        months.append(month)
        month = next_month(month)
    return months


def paid_in_month(starts_on: dt.date, ends_on: dt.date | None, month: dt.date) -> bool:
    return starts_on <= month_end(month) and (ends_on is None or ends_on >= month_start(month))


def standard_in_force(standards: Iterable[_Standard], day: dt.date, age: int) -> _Standard | None:
    """The standard of the age's band with the latest start on or before `day`."""
    best: _Standard | None = None
    for standard in standards:
        if standard.valid_from > day or not in_band(age, standard.min_age, standard.max_age):
            continue
        if best is None or standard.valid_from > best.valid_from:
            best = standard
    return best


def monthly_amount(
    standards: Sequence[_Standard],
    *,
    birth_on: dt.date,
    persons: int,
    per_person: bool,
    month: dt.date,
) -> Decimal:
    """What one enrolment is owed for `month` (0 when no standard covers the age then)."""
    first = month_start(month)
    standard = standard_in_force(standards, first, age_on(birth_on, first))
    if standard is None:
        return Decimal("0.00")
    return standard.amount * (persons if per_person else 1)


def eligibility_problems(
    *, min_age: int | None, max_age: int | None, birth_on: dt.date, on: dt.date
) -> list[str]:
    """What the dates alone say against an enrolment on `on` (the clerk checks the rest)."""
    from django.utils.translation import gettext as _

    age = age_on(birth_on, on)
    problems = []
    if birth_on > on:
        problems.append(_("The birth date is after the start date."))
    elif min_age is not None and age < min_age:
        problems.append(
            _("Aged %(age)d on %(day)s: the programme starts at %(min)d.")
            % {"age": age, "day": on.isoformat(), "min": min_age}
        )
    elif max_age is not None and age >= max_age:
        problems.append(
            _("Aged %(age)d on %(day)s: the programme ends at %(max)d.")
            % {"age": age, "day": on.isoformat(), "max": max_age}
        )
    return problems
