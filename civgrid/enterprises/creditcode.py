"""The unified social credit code (统一社会信用代码, GB 32100-2015) and its check character.

18 characters from an alphabet of 31 (the digits and the capitals without I, O, S, V, Z):
registering authority (1), kind (1), administrative division (6), the organisation's code (9)
and a check character (31 − Σ value × 3^i mod 31, a result of 31 written "0"). The check is
python-stdnum's `stdnum.cn.uscc`, the same library that checks resident ID numbers
(civgrid/lib/idnumbers.py); this module adds the shape rule (the division is six digits) and
the normalisation offices need.
"""

from __future__ import annotations

import re

from stdnum.cn import uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def normalize(code: str) -> str:
    """Spaces dropped and letters capitalised, as offices type them."""
    return re.sub(r"\s+", "", code or "").upper()


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (which must use the alphabet)."""
    return uscc.calc_check_digit(first17)  # type: ignore[no-any-return]


def is_valid(code: str) -> bool:
    """Whether `code` (already normalized) is a well-formed code with the right check character."""
    return bool(_SHAPE.match(code)) and bool(uscc.is_valid(code))
