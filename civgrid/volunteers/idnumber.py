"""Resident ID numbers (居民身份证号码, GB 11643-1999): 17 digits and a check character."""

from __future__ import annotations

import datetime as dt

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"  # the check character for a weighted sum mod 11 of 0, 1, 2…


def check_character(first17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalize(value: str) -> str:
    return (value or "").strip().upper()


def is_valid(value: str) -> bool:
    """Whether `value` is an 18-character ID number with a real birth date and the right check
    character (a lower-case x is accepted: normalize() upper-cases it)."""
    number = normalize(value)
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return number[17] == check_character(number[:17])


def with_check(first17: str) -> str:
    """An ID number from its first 17 digits (tests and demo data)."""
    return first17 + check_character(first17)
