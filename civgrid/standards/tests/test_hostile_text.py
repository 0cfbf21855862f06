"""The framework sheet: its export writes stored text as text (never a formula, no control
characters), its import refuses a control character naming row and column, and writes
nothing."""

import io

import pytest
from openpyxl import load_workbook

from civgrid.standards.actions import import_framework
from civgrid.standards.excel import export_workbook
from civgrid.standards.models import Framework, Standard

from .helpers import ROWS, demo_units_and_categories, xlsx

pytestmark = pytest.mark.django_db


def test_the_framework_export_writes_hostile_standards_as_plain_text(world):
    fw = import_framework(xlsx(ROWS), actor=None, code="2026", name="测评体系").framework
    Standard.objects.filter(framework=fw, code="01.01.01").update(text="=1+1\x07\u202e流动摊贩")
    Standard.objects.filter(framework=fw, code="01.01.02").update(text="-2+3\x1b")
    sheet = load_workbook(io.BytesIO(export_workbook(fw.standards.all()))).worksheets[0]
    texts = {row[5].value: row[5].data_type for row in sheet.iter_rows(min_row=2)}
    assert texts["=1+1流动摊贩"] == "s" and texts["-2+3"] == "s"


def test_the_import_refuses_a_control_character_naming_row_and_column(world):
    rows = [list(row) for row in ROWS]
    rows[1][5] = "反转\u202e的标准"  # XML cannot carry C0 controls; overrides it can
    result = import_framework(xlsx(rows), actor=None, code="2026", name="测评体系")
    assert not result.ok
    [problem] = [p for p in result.problems if "U+202E" in p.message]
    assert (problem.row, problem.column) == (3, "测评标准")
    assert not Framework.objects.exists()


def test_the_shipped_template_and_sample_still_open(db):
    demo_units_and_categories()
    from civgrid.standards import sample

    assert load_workbook(io.BytesIO(sample.workbook_bytes())).worksheets[0].max_row > 1
