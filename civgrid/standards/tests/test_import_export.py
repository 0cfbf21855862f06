from decimal import Decimal

import pytest

from civgrid.standards import sample
from civgrid.standards.actions import import_framework, make_current
from civgrid.standards.excel import export_workbook
from civgrid.standards.models import (
    ChecklistQuestion,
    Content,
    Framework,
    Item,
    Standard,
    StandardCoUnit,
)

from .helpers import HEADER, ROWS, cells, demo_units_and_categories, xlsx

pytestmark = pytest.mark.django_db


def counts():
    return (
        Framework.objects.count(),
        Item.objects.count(),
        Content.objects.count(),
        Standard.objects.count(),
        ChecklistQuestion.objects.count(),
        StandardCoUnit.objects.count(),
    )


def test_import_builds_the_tree_with_units_points_kinds_and_questions(world):
    result = import_framework(xlsx(ROWS), actor=world.office.user, code="2026", name="测评体系")
    assert result.ok, result.problems
    fw = result.framework
    assert (result.items, result.contents, result.standards, result.questions) == (2, 3, 4, 4)
    assert fw.is_current  # the first edition ever becomes current
    assert fw.imported_by == world.office.user
    assert [i.code for i in fw.items.all()] == ["01", "02"]
    s = fw.standards.get(code="01.01.01")
    assert s.content.code == "01.01" and s.content.item.name == "公共秩序"
    assert s.points == Decimal("3.00")
    assert s.site_kinds == ["main_road", "back_alley"]
    assert s.lead_unit == world.unit
    assert s.responsible_units() == [world.unit, world.other_unit]
    assert s.category == world.category
    assert s.question_texts() == ["是否有流动摊贩", "是否出店经营"]
    assert fw.standards.get(code="01.01.02").points == Decimal("1.50")
    assert fw.standards.get(code="02.01.01").lead_unit is None
    assert fw.total_points() == Decimal("8.50")


def test_export_of_an_import_equals_the_input_cell_by_cell(world):
    data = xlsx(ROWS)
    fw = import_framework(data, actor=None, code="2026", name="测评体系").framework
    assert cells(export_workbook(fw.standards.all())) == cells(data)


def test_shipped_sample_matches_its_source_and_round_trips(db):
    demo_units_and_categories()
    shipped = sample.SAMPLE_PATH.read_bytes()
    assert cells(shipped) == cells(sample.workbook_bytes())
    result = import_framework(shipped, actor=None, code="S", name=sample.SAMPLE_NAME)
    assert result.ok, result.problems
    assert not result.warnings
    assert (result.items, result.contents, result.standards) == (6, 17, 37)
    assert cells(export_workbook(result.framework.standards.all())) == cells(shipped)


def test_codes_english_headers_and_merged_item_cells_are_accepted(world):
    header = [
        "item_code",
        "item",
        "content_code",
        "content",
        "code",
        "standard",
        "points",
        "site_kinds",
        "lead_unit",
        "co_units",
        "category",
        "questions",
    ]
    rows = [
        [
            "A",
            "公共秩序",
            "A1",
            "市容",
            "A1.1",
            "无占道经营",
            "2",
            "main_road, 背街小巷",
            "CGJ",
            "SCJ",
            "ZDJY",
            "问一\n\n问二",
        ],
        [None, None, None, None, "A1.2", "广告规范", 1, "Main road", "SCJ", None, None, None],
    ]
    result = import_framework(xlsx(rows, header=header), actor=None, code="x", name="x")
    assert result.ok, result.problems
    second = Standard.objects.get(code="A1.2")
    assert second.content.code == "A1" and second.lead_unit == world.other_unit
    assert second.site_kinds == ["main_road"]
    first = Standard.objects.get(code="A1.1")
    assert first.site_kinds == ["main_road", "back_alley"]
    assert first.question_texts() == ["问一", "问二"]


@pytest.mark.parametrize(
    ("row_index", "column", "value", "column_name", "words"),
    [
        (0, 8, "不存在的局", "牵头单位", "Unknown unit"),
        (0, 9, "城市管理局", "配合单位", "already the lead unit"),
        (1, 9, "SCJ、XYZ", "配合单位", "Unknown unit “XYZ”"),
        (2, 6, "三分", "分值", "not a number of points"),
        (2, 6, -1, "分值", "not a number of points"),
        (2, 6, 1.555, "分值", "not a number of points"),
        (2, 6, None, "分值", "points are required"),
        (1, 4, "01.01.01", "标准编码", "appears more than once (first in row 2)"),
        (3, 5, None, "测评标准", "wording of the standard is required"),
        (3, 4, None, "标准编码", "standard code is required"),
        (3, 7, "窗口单位、火星基地", "点位类型", "Unknown site kind “火星基地”"),
        (1, 10, "不存在的类别", "问题类别", "Unknown problem category"),
        (1, 1, "公共服务", "测评项目", "named “公共秩序” in row 2"),
        (3, 0, None, "项目编码", "item code is required"),
    ],
)
def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_written(
    world, row_index, column, value, column_name, words
):
    rows = [list(r) for r in ROWS]
    rows[row_index][column] = value
    if (row_index, column) == (3, 0):
        rows[3][1] = None  # an empty item pair would repeat the row above
        rows[3][0] = None
        rows[3][1] = "公共服务"
    before = counts()
    result = import_framework(xlsx(rows), actor=None, code="2026", name="测评体系")
    assert not result.ok
    assert result.framework is None
    assert counts() == before
    error = result.errors[0]
    assert error.row == row_index + 2  # Excel numbering: the header is row 1
    assert error.column == column_name
    assert words in error.message


def test_errors_in_several_rows_are_all_reported(world):
    rows = [list(r) for r in ROWS]
    rows[0][6] = "x"
    rows[3][8] = "无此单位"
    result = import_framework(xlsx(rows), actor=None, code="2026", name="n")
    assert [(p.row, p.column) for p in result.errors] == [(2, "分值"), (5, "牵头单位")]


def test_a_sheet_without_the_required_columns_is_refused(world):
    result = import_framework(
        xlsx([["x"]], header=["项目编码", "测评项目", "标准编码"]), actor=None, code="a", name="a"
    )
    assert not result.ok
    assert "内容编码" in result.errors[0].message and "分值" in result.errors[0].message
    assert Framework.objects.count() == 0


def test_a_file_that_is_not_excel_is_refused(world):
    result = import_framework(b"not a workbook", actor=None, code="a", name="a")
    assert not result.ok and result.errors[0].field == "file"


def test_an_unknown_column_is_a_warning_and_the_title_line_is_skipped(world):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["2026年测评体系"])
    ws.append([*HEADER, "备注"])
    for row in ROWS:
        ws.append([*row, "x"])
    out = io.BytesIO()
    wb.save(out)
    result = import_framework(out.getvalue(), actor=None, code="a", name="a")
    assert result.ok
    assert [(p.row, p.column) for p in result.warnings] == [(2, "备注")]
    assert result.standards == 4


def test_dry_run_writes_nothing(world):
    result = import_framework(xlsx(ROWS), actor=None, code="2026", name="n", dry_run=True)
    assert result.ok and result.dry_run
    assert result.standards == 4
    assert result.framework is None
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_an_existing_edition_code_is_refused(world):
    import_framework(xlsx(ROWS), actor=None, code="2026", name="n")
    before = counts()
    result = import_framework(xlsx(ROWS), actor=None, code="2026", name="again")
    assert not result.ok
    assert "already exists" in result.errors[0].message
    assert counts() == before


def test_second_edition_sits_beside_the_first_and_becomes_current_on_request(world):
    first = import_framework(xlsx(ROWS), actor=None, code="2025", name="n").framework
    second = import_framework(xlsx(ROWS[:2]), actor=None, code="2026", name="n").framework
    first.refresh_from_db()
    assert first.is_current and not second.is_current
    assert first.standards.count() == 4 and second.standards.count() == 2
    assert make_current(second, actor=None) is True
    assert make_current(second, actor=None) is False
    first.refresh_from_db()
    assert Framework.current() == second and not first.is_current
    third = import_framework(
        xlsx(ROWS), actor=None, code="2027", name="n", make_current=True
    ).framework
    assert list(Framework.objects.filter(is_current=True)) == [third]
