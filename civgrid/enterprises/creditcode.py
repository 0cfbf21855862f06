"""The unified social credit code (统一社会信用代码, GB 32100-2015) and its check character.

18 characters from an alphabet of 31 (the digits and the capitals without I, O, S, V, Z):
registering authority (1), kind (1), administrative division (6), the organisation's code (9)
and a check character. The check character is 31 − (Σ value × weight mod 31), with the weights
3^i mod 31; a result of 31 is written "0".
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {char: i for i, char in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def normalize(code: str) -> str:
    """Spaces dropped and letters capitalised, as offices type them."""
    return re.sub(r"\s+", "", code or "").upper()


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (which must use the alphabet)."""
    total = sum(VALUE[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """Whether `code` (already normalized) is a well-formed code with the right check character."""
    return bool(_SHAPE.match(code)) and check_character(code[:17]) == code[17]
