"""Characters that free text may not hold, refused on the way in and removed on the way out.

Forbidden (`FORBIDDEN`):
- C0 control characters except tab, line feed and carriage return (U+0000–U+001F), DEL
  (U+007F) and the C1 controls (U+0080–U+009F): invisible, typed by no keyboard, and the C0
  ones cannot be held by XML 1.0 at all, so one stored ``\\x07`` used to break every workbook
  (openpyxl raises IllegalCharacterError) and Word document holding it;
- the bidi embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069: they reorder the
  text shown after them ("Trojan source"), so a description could read differently from what
  is stored, and an unclosed override garbles the rest of a ledger cell or page;
- the non-characters U+FFFE and U+FFFF, which XML cannot hold either.

Allowed on purpose: the marks U+200E (LEFT-TO-RIGHT MARK), U+200F (RIGHT-TO-LEFT MARK) and
U+061C (ARABIC LETTER MARK). They are zero-width letters of direction, not embeddings: they
reorder nothing beyond the neutral characters next to them, cannot spoof a whole line, XML
holds them, and phones insert them when text in Uyghur, Arabic or with mixed scripts is
pasted, so refusing them would turn away honest reports.

Input paths refuse (`validate_plain_text`, the import helpers call `text_problem`); nothing a
user submitted is silently altered. Exporters call `clean_for_export` on whatever is stored,
including rows kept from before the rule (case events are immutable, so old ones are only
cleaned on the way out).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

_C0 = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r")
_C1 = "".join(chr(c) for c in range(0x7F, 0xA0))  # DEL and the C1 controls
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_NONCHARACTERS = "\ufffe\uffff"
FORBIDDEN = frozenset(_C0 + _C1 + _BIDI + _NONCHARACTERS)

# A character class usable by Python's re, SQLite's REGEXP (Django's is Python's re) and
# PostgreSQL's regular expressions alike: \\uXXXX escapes are understood by all three.
FORBIDDEN_CLASS = "[" + "".join(f"\\u{ord(c):04x}" for c in sorted(FORBIDDEN)) + "]"
_FORBIDDEN_RE = re.compile(FORBIDDEN_CLASS)
# What XML 1.0 cannot hold beyond FORBIDDEN: lone surrogates (from a bad decode).
_EXPORT_RE = re.compile(FORBIDDEN_CLASS[:-1] + "\\ud800-\\udfff]")


def first_forbidden(value: str) -> str | None:
    """The first forbidden character of `value`, or None."""
    match = _FORBIDDEN_RE.search(value)
    return match.group() if match else None


def codepoint(char: str) -> str:
    """U+0007, as the error messages name a character."""
    return f"U+{ord(char):04X}"


def forbidden_message(char: str) -> str:
    return _("contains an invisible control character (%(code)s); please remove it.") % {
        "code": codepoint(char)
    }


def text_problem(value: Any) -> str | None:
    """The translated problem with a value's text (for import reports), or None. Non-text
    values (numbers, dates) have none."""
    if not isinstance(value, str):
        return None
    char = first_forbidden(value)
    return forbidden_message(char) if char else None


@deconstructible
class PlainTextValidator:
    """Refuses text holding a forbidden character, naming it. Values that are not text (a
    JSON field's dict, a number) are left to their own validators."""

    code = "control_character"

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and (char := first_forbidden(value)) is not None:
            raise ValidationError(
                forbidden_message(char), code=self.code, params={"code": codepoint(char)}
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainTextValidator)

    def __hash__(self) -> int:
        return hash(PlainTextValidator)


validate_plain_text = PlainTextValidator()


def strip_forbidden(value: str) -> str:
    """`value` without its forbidden characters (repairing stored rows)."""
    return _FORBIDDEN_RE.sub("", value)


def clean_for_export(value: Any) -> Any:
    """Text as a workbook or Word document can hold it: without the forbidden characters and
    lone surrogates. Anything else (numbers, dates, None) is returned as it is."""
    if isinstance(value, str):
        return _EXPORT_RE.sub("", value)
    return value


def install_field_validators() -> None:
    """Every text field of every Django form and DRF serializer refuses forbidden characters,
    as both already refuse NUL: a form or serializer written tomorrow is covered without
    anyone remembering (civgrid/lib/tests/test_every_input_refuses_control_characters.py
    walks them all). Called from civgrid.lib's AppConfig, listed before the admin so every
    field is built after it."""
    from django import forms
    from rest_framework import fields

    # URLField and EmailField replace CharField's list with their own; Django runs every
    # validator and reports all their errors, so the rule joins theirs.
    for cls in (forms.CharField, forms.URLField, forms.EmailField):
        if validate_plain_text not in cls.default_validators:
            cls.default_validators = [*cls.default_validators, validate_plain_text]
    # A DRF field given `validators=` (ModelSerializer passes the model's, e.g. a unique
    # check) drops its defaults, so the rule joins after __init__, where DRF itself adds its
    # NUL and surrogate checks.
    init = fields.CharField.__init__
    if getattr(init, "refuses_control_characters", False):
        return

    @functools.wraps(init)
    def __init__(self: Any, **kwargs: Any) -> None:
        init(self, **kwargs)
        if validate_plain_text not in self.validators:
            self.validators.append(validate_plain_text)

    __init__.refuses_control_characters = True  # type: ignore[attr-defined]
    fields.CharField.__init__ = __init__  # type: ignore[method-assign]
