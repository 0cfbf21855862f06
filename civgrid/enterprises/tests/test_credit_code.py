"""The unified social credit code's check character (GB 32100-2015)."""

import pytest

from civgrid.enterprises import creditcode
from civgrid.enterprises.tests.factories import REAL_CODES

# The standard's weights and values, written out here as an oracle independent of the library.
VALUE = {char: i for i, char in enumerate(creditcode.ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_of_real_companies_are_valid(code):
    assert creditcode.is_valid(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_wrong_check_character_is_refused(code):
    wrong = next(c for c in creditcode.ALPHABET if c != code[-1])
    assert not creditcode.is_valid(code[:17] + wrong)


def test_check_character_31_is_written_as_zero():
    # 华为's code ends in 6; find the 17 characters whose check value is 31 - 0 by brute force.
    base = "91440300192203821"
    assert creditcode.check_character(base) == "6"
    zero = next(
        base[:16] + c
        for c in creditcode.ALPHABET
        if sum(VALUE[x] * w for x, w in zip(base[:16] + c, WEIGHTS, strict=True)) % 31 == 0
    )
    assert creditcode.check_character(zero) == "0"


@pytest.mark.parametrize(
    "code",
    [
        "",
        "9133010071610585",  # too short
        "91330100716105852F0",  # too long
        "91330100716105852I",  # I is not in the alphabet
        "9133A100716105852F",  # the division code is digits
    ],
)
def test_malformed_codes_are_refused(code):
    assert not creditcode.is_valid(code)


def test_spaces_and_lower_case_are_normalized_before_the_check():
    assert creditcode.is_valid(creditcode.normalize(" 9144 0300 7152 6726xg "))
