import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civgrid.lib.text import (
    clean_for_export,
    first_forbidden,
    strip_forbidden,
    text_problem,
    validate_plain_text,
)

HOSTILE = ["\x00", "\x07", "\x0b", "\x1b", "\x7f", "\x85", "\x9b", "\u202e", "\u2066", "\uffff"]


@pytest.mark.parametrize("char", HOSTILE)
def test_each_forbidden_character_is_found(char):
    assert first_forbidden(f"路灯{char}不亮") == char


@pytest.mark.parametrize(
    "text", ["路灯不亮\n第二行\r\n\t缩进", "مرحبا\u200f 123", "\u200e\u061c abc"]
)
def test_tabs_newlines_and_direction_marks_are_allowed(text):
    assert first_forbidden(text) is None
    validate_plain_text(text)


def test_the_validator_names_the_character_in_chinese_and_english():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as zh:
        validate_plain_text("响铃\x07")
    with translation.override("en"), pytest.raises(ValidationError) as en:
        validate_plain_text("bell\x07")
    assert "U+0007" in zh.value.messages[0] and "控制字符" in zh.value.messages[0]
    assert en.value.messages[0].startswith("contains an invisible control character (U+0007)")
    assert en.value.error_list[0].code == "control_character"


def test_the_validator_leaves_values_that_are_not_text_alone():
    validate_plain_text({"note": "\x07"})
    validate_plain_text(12)
    assert text_problem(3.5) is None


def test_export_cleaning_removes_what_xml_cannot_hold_and_the_overrides_only():
    stored = "=1+1\x07 bell\x1b[31m \u202eevil\u202c \ud800 مرحبا\u200f\n\tok"
    assert clean_for_export(stored) == "=1+1 bell[31m evil  مرحبا\u200f\n\tok"
    assert clean_for_export(None) is None
    assert clean_for_export(7) == 7


def test_repair_strips_the_forbidden_characters():
    assert strip_forbidden("a\x07b\u202ec\r\n") == "abc\r\n"
