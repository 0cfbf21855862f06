"""The household import refuses a cell holding an invisible control or bidi character,
naming row and column, and writes nothing; its template is written through civgrid.lib.xlsx."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from civgrid.visits.actions import import_households
from civgrid.visits.imports import template_workbook
from civgrid.visits.models import Household
from civgrid.visits.tests.test_import import xlsx

pytestmark = pytest.mark.django_db


def test_a_bidi_override_in_an_address_is_refused_naming_row_and_column(world):
    rows = [["H1", world.grid_a.code, "幸福路1号\u202e", "张三", None, 3, "否", "否", "否", "否"]]
    with translation.override("en"):
        result = import_households(xlsx(rows), actor=world.office.user)
    assert [(p.row, p.field) for p in result.errors] == [(2, "address")]
    assert "U+202E" in result.errors[0].message
    assert not Household.objects.exists()


def test_the_template_keeps_its_headers_and_drop_downs():
    book = load_workbook(io.BytesIO(template_workbook()))
    assert book.sheetnames == ["住户", "说明"]
    assert book["住户"]["A1"].value == "户编码" and book["住户"]["A1"].font.bold
    assert book["住户"].data_validations.dataValidation
