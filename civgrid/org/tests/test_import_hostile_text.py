"""An import refuses a cell holding an invisible control or bidi character, naming sheet, row
and column, and writes nothing; its template is written through civgrid.lib.xlsx."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from civgrid.org.actions import import_people
from civgrid.org.imports import template_workbook
from civgrid.org.tests.test_import_people import state, xlsx

pytestmark = pytest.mark.django_db


def test_a_bidi_override_in_a_name_is_refused_naming_sheet_row_and_column(world):
    before = state()
    data = xlsx(
        units=[["NEW", "新单位\u202e", "区直单位", None]],
        people=[["ok-person", "张三\x9b", None, "群众", None, None, None, None]],
    )
    with translation.override("en"):
        result = import_people(data, actor=None)
    assert [(p.sheet, p.row, p.field) for p in result.errors] == [
        ("units", 2, "name"),
        ("people", 2, "name"),
    ]
    assert "U+202E" in result.errors[0].message and "U+009B" in result.errors[1].message
    assert state() == before


def test_the_template_keeps_its_sheets_headers_and_drop_downs():
    book = load_workbook(io.BytesIO(template_workbook()))
    assert book.sheetnames == ["units", "people", "说明"]
    assert book["units"]["A1"].value == "单位编码" and book["units"]["A1"].font.bold
    assert book["units"].data_validations.dataValidation
