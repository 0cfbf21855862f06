"""Resident ID numbers (居民身份证号码, GB 11643-1999): checking and masking.

The check digit (ISO 7064 MOD 11-2), the birth date and the region code are checked with
python-stdnum's `stdnum.cn.ric` and its table of GB/T 2260 codes rather than by hand. One
deliberate difference: stdnum also refuses a region code created after the birth year, but the
code is the one of the place where the card was *first issued* (from 1984), so a man born in
1936 in today's 川汇区 (code 411602, created in 2000) may well carry 411602. Refusing him would
refuse exactly the elderly roll, so any code the table has ever known is accepted. Numbers are
stored normalised (18 characters, upper-case X) so the same person is found whatever the clerk
typed.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric


class BadIdNumber(ValueError):
    """The number is not a valid 18-character resident ID number; the message says why."""


def normalise(number: str) -> str:
    """The number as stored: spaces and dashes dropped, upper-case check character."""
    return ric.compact((number or "").replace(" ", "").replace("-", ""))


def validate(number: str) -> str:
    """The normalised number, or BadIdNumber with the reason (length, date, check digit)."""
    compact = normalise(number)
    if len(compact) != 18:
        raise BadIdNumber(_("An ID number has 18 characters."))
    if not compact[:17].isdigit() or not (compact[17].isdigit() or compact[17] == "X"):
        raise BadIdNumber(_("An ID number is 17 digits and a digit or X."))
    if compact[17] != ric.calc_check_digit(compact):
        raise BadIdNumber(_("The check digit of the ID number is wrong."))
    try:
        ric.get_birth_date(compact)
    except stdnum_errors.ValidationError as exc:
        raise BadIdNumber(_("The ID number holds no valid birth date.")) from exc
    if not _known_region(compact[:6]):
        raise BadIdNumber(_("The ID number starts with an unknown region code."))
    return compact


def _known_region(code: str) -> bool:
    parts = numdb.get("cn/loc").info(code)
    return any("county" in props for _part, props in parts)


def birth_date(number: str) -> dt.date:
    """The birth date written in a valid number (digits 7-14)."""
    return ric.get_birth_date(normalise(number))  # type: ignore[no-any-return]


def mask(number: str) -> str:
    """The first 6 and last 4 characters shown (the region and the check), the rest hidden:
    enough to tell two people apart on a list, not enough to use the number."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_account(account: str) -> str:
    """A bank account with only its last four digits shown."""
    account = (account or "").replace(" ", "")
    if len(account) <= 4:
        return "*" * len(account)
    return "*" * (len(account) - 4) + account[-4:]


def is_valid(number: str) -> bool:
    """Whether `number` (normalised or not) is a valid resident ID number."""
    try:
        validate(number)
    except BadIdNumber:
        return False
    return True


def with_check(first17: str) -> str:
    """An ID number from its first 17 digits (demo data and tests)."""
    return first17 + ric.calc_check_digit(first17 + "0")
