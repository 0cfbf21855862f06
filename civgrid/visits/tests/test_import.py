"""Importing the household register: row-level errors, all or nothing, dry run, template."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from civgrid.testing import PASSWORD
from civgrid.visits.actions import import_households
from civgrid.visits.imports import COLUMNS, template_workbook
from civgrid.visits.models import Household
from civgrid.visits.tests.factories import make_household

HEADERS = [
    "户编码",
    "网格编码",
    "地址",
    "户主",
    "联系电话",
    "人数",
    "80岁以上",
    "独居",
    "低保",
    "残疾",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(rows, headers=HEADERS, title=None):
    wb = Workbook()
    ws = wb.active
    ws.title = "住户"
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def good_rows(world):
    a, b = world.grid_a.code, world.grid_b.code
    return [
        ["H001", a, "国槐街1号", "张大爷", "13800000001", 1, "是", "是", "否", ""],
        ["H002", a, "国槐街2号", "李阿姨", 13800000002, 3, "否", "否", "是", "否"],
        ["H003", b, "富民路8号", "王叔", "", "", "", "", "", "√"],
    ]


def test_a_good_register_creates_every_household_with_its_flags(world):
    result = import_households(xlsx(good_rows(world)), actor=None)
    assert result.ok and result.created == ["H001", "H002", "H003"]
    h1, h2, h3 = Household.objects.order_by("code")
    assert (h1.aged_80_plus, h1.living_alone, h1.low_income, h1.grid) == (
        True,
        True,
        False,
        world.grid_a,
    )
    assert (h2.phone, h2.residents_count, h2.low_income) == ("13800000002", 3, True)
    assert (h3.residents_count, h3.disabled, h3.aged_80_plus) == (1, True, False)


def test_a_title_line_above_the_headers_is_skipped(world):
    result = import_households(xlsx(good_rows(world), title="七一路街道住户花名册"), actor=None)
    assert result.ok and len(result.created) == 3


def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_written(world):
    existing = make_household(world.grid_a, code="H001", address="旧地址")
    rows = good_rows(world) + [
        ["H001", world.grid_a.code, "重复", "", "", 1, "否", "否", "否", "否"],
        ["H005", "NOPE", "某地", "", "", 1, "否", "否", "否", "否"],
        ["H006", world.area.code, "某地", "", "", "两人", "也许", "否", "否", "否"],
        ["", world.grid_a.code, "", "", "abc", 1, "否", "否", "否", "否"],
    ]
    result = import_households(xlsx(rows), actor=None)
    assert not result.ok
    found = [(p.row, p.column) for p in result.errors]
    assert found == [
        (5, "户编码"),
        (6, "网格编码"),
        (7, "网格编码"),
        (7, "人数"),
        (7, "80岁以上"),
        (8, "户编码"),
        (8, "地址"),
        (8, "联系电话"),
    ]
    assert "first in row 2" in result.errors[0].message
    assert Household.objects.count() == 1
    existing.refresh_from_db()
    assert existing.address == "旧地址"


def test_a_dry_run_checks_and_writes_nothing(world):
    result = import_households(xlsx(good_rows(world)), actor=None, dry_run=True)
    assert result.ok and result.dry_run and len(result.created) == 3
    assert Household.objects.count() == 0


def test_an_existing_code_is_updated_and_missing_columns_keep_what_is_stored(world):
    make_household(world.grid_a, code="H001", phone="13911112222", aged_80_plus=True)
    result = import_households(
        xlsx([["H001", world.grid_b.code, "新地址"]], headers=["户编码", "网格编码", "地址"]),
        actor=None,
    )
    assert result.ok and result.updated == ["H001"]
    h = Household.objects.get()
    assert (h.grid, h.address, h.phone, h.aged_80_plus) == (
        world.grid_b,
        "新地址",
        "13911112222",
        True,
    )


def test_a_file_that_is_not_a_workbook_is_refused(world):
    result = import_households(b"not a workbook", actor=None)
    assert not result.ok and result.errors[0].field == "file"


def test_a_missing_required_column_is_named(world):
    result = import_households(xlsx([["H1", "x"]], headers=["户编码", "网格编码"]), actor=None)
    assert [p.message for p in result.errors] == ["Missing column(s): 地址."]


def test_the_template_has_the_chinese_headers_and_imports_empty(world):
    wb = load_workbook(io.BytesIO(template_workbook()))
    assert [c.value for c in wb.worksheets[0][1]] == [a[0] for a in COLUMNS.values()]
    assert [c.value for c in wb.worksheets[0][1]] == HEADERS
    assert import_households(template_workbook(), actor=None).ok


def test_only_the_office_opens_the_import_page(client, world):
    client.login(username="worker_a", password=PASSWORD)
    assert client.get(reverse("visits:import")).status_code == 403
    client.login(username="office", password=PASSWORD)
    assert client.get(reverse("visits:import")).status_code == 200
    assert client.get(reverse("visits:import_template")).status_code == 200


def test_the_import_page_shows_the_errors_and_writes_nothing(client, world):
    client.login(username="office", password=PASSWORD)
    data = xlsx([["H1", "NOPE", "某地"]])
    upload = io.BytesIO(data)
    upload.name = "households.xlsx"
    page = client.post(reverse("visits:import"), {"file": upload})
    assert page.status_code == 200
    assert "Unknown grid NOPE." in page.content.decode()
    assert Household.objects.count() == 0
