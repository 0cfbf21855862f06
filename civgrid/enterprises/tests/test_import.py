"""Importing the enterprise register: row errors, all or nothing, dry run, place, scope."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from civgrid.enterprises.actions import import_enterprises
from civgrid.enterprises.imports import COLUMNS, template_workbook
from civgrid.enterprises.models import Enterprise, EnterpriseEvent, Kind
from civgrid.enterprises.tests.factories import REAL_CODES, make_enterprise, xlsx
from civgrid.testing import PASSWORD

HEADERS = [
    "名称",
    "类型",
    "统一社会信用代码",
    "地址",
    "网格编码",
    "经度",
    "纬度",
    "监管单位",
    "法定代表人",
    "法人电话",
    "从业人数",
    "面积",
    "座位数",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def good_rows(w):
    return [
        [
            "川汇食品有限公司",
            "规上企业",
            REAL_CODES[0],
            "七一路18号",
            w.grid_a.code,
            None,
            None,
            "SCJ",
            "王建国",
            "13912345678",
            150,
            3200,
            None,
        ],
        [
            "老张烩面馆",
            "小餐饮",
            "",
            "国槐街6号",
            "",
            114.615,
            33.605,
            "",
            "张师傅",
            "13800001111",
            6,
            80.5,
            40,
        ],
    ]


def test_a_good_sheet_creates_every_enterprise_with_an_event(world):
    result = import_enterprises(
        xlsx(good_rows(world), HEADERS, title="川汇区企业花名册"), actor=world.office.user
    )
    assert result.ok, result.problems
    assert result.created == [REAL_CODES[0], "老张烩面馆"]
    food = Enterprise.objects.get(credit_code=REAL_CODES[0])
    assert (food.kind, food.grid, food.regulator, food.staff) == (
        Kind.ABOVE_SCALE,
        world.grid_a,
        world.other_unit,
        150,
    )
    noodles = Enterprise.objects.get(name="老张烩面馆")
    assert noodles.grid == world.grid_b  # found from the point
    assert (noodles.kind, noodles.seats, str(noodles.floor_area)) == (Kind.SMALL_EATERY, 40, "80.5")
    assert EnterpriseEvent.objects.filter(action="created").count() == 2


def test_one_bad_row_imports_nothing_and_every_problem_is_listed_by_row(world):
    rows = good_rows(world) + [
        [
            "坏代码公司",
            "规上企业",
            REAL_CODES[0][:17] + "0",
            "x路1号",
            world.grid_a.code,
            None,
            None,
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["无名类型", "大商场", "", "x路2号", "NOPE", None, None, "", "", "phone?", "many", "", ""],
    ]
    result = import_enterprises(xlsx(rows, HEADERS), actor=world.office.user)
    assert not result.ok
    found = {(p.row, p.field) for p in result.errors}
    assert {
        (4, "credit_code"),
        (5, "kind"),
        (5, "grid_code"),
        (5, "legal_phone"),
        (5, "staff"),
    } <= found
    assert Enterprise.objects.count() == 0


def test_a_dry_run_checks_and_writes_nothing(world):
    result = import_enterprises(
        xlsx(good_rows(world), HEADERS), actor=world.office.user, dry_run=True
    )
    assert result.ok and result.dry_run and len(result.created) == 2
    assert Enterprise.objects.count() == 0


def test_an_enterprise_on_file_is_updated_by_its_credit_code_and_the_change_recorded(world):
    make_enterprise(world.grid_a, credit_code=REAL_CODES[0], staff=100)
    result = import_enterprises(xlsx(good_rows(world)[:1], HEADERS), actor=world.office.user)
    assert result.ok and result.updated == [REAL_CODES[0]]
    event = EnterpriseEvent.objects.get(action="imported")
    assert event.changes["staff"] == ["100", "150"]


def test_a_venue_without_a_code_is_matched_by_name_and_address(world):
    make_enterprise(
        world.grid_b, name="老张烩面馆", address="国槐街6号", kind=Kind.SMALL_EATERY, seats=20
    )
    result = import_enterprises(xlsx(good_rows(world)[1:], HEADERS), actor=world.office.user)
    assert result.ok and result.updated == ["老张烩面馆"] and not result.created
    assert Enterprise.objects.get(name="老张烩面馆").seats == 40


def test_the_same_enterprise_twice_in_a_sheet_is_an_error(world):
    rows = good_rows(world)[:1] * 2
    result = import_enterprises(xlsx(rows, HEADERS), actor=world.office.user)
    assert [(p.row, p.field) for p in result.errors] == [(3, "credit_code")]


def test_a_point_outside_the_given_grid_is_an_error(world):
    row = [
        "错位商店",
        "小商店",
        "",
        "x路3号",
        world.grid_a.code,
        114.615,
        33.605,
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    result = import_enterprises(xlsx([row], HEADERS), actor=world.office.user)
    assert [p.field for p in result.errors] == ["longitude"]


def test_an_enterprise_needs_its_credit_code(world):
    row = [
        "无照企业",
        "规上企业",
        "",
        "x路4号",
        world.grid_a.code,
        None,
        None,
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    result = import_enterprises(xlsx([row], HEADERS), actor=world.office.user)
    assert [p.field for p in result.errors] == ["credit_code"]


def test_a_district_office_cannot_import_into_another_district(city):
    row = [
        "淮阳商店",
        "小商店",
        "",
        "龙湖路1号",
        city.grid2.code,
        None,
        None,
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    refused = import_enterprises(xlsx([row], HEADERS), actor=city.office.user)
    assert [p.field for p in refused.errors] == ["grid_code"]
    assert import_enterprises(xlsx([row], HEADERS), actor=city.office2.user).ok


def test_a_file_that_is_not_a_workbook_is_refused(world):
    result = import_enterprises(b"not a workbook", actor=world.office.user)
    assert [p.field for p in result.errors] == ["file"]


def test_the_template_has_every_column_and_imports_nothing(world):
    wb = load_workbook(io.BytesIO(template_workbook()))
    headers = [c.value for c in wb["企业"][1]]
    assert headers == [aliases[0] for aliases in COLUMNS.values()]


def test_the_import_page_shows_row_errors_and_writes_nothing(client, world):
    client.login(username="office", password=PASSWORD)
    rows = [
        ["无名类型", "大商场", "", "x路2号", world.grid_a.code, None, None, "", "", "", "", "", ""]
    ]
    upload = io.BytesIO(xlsx(rows, HEADERS))
    upload.name = "e.xlsx"
    response = client.post(reverse("enterprises:import"), {"file": upload})
    assert response.status_code == 200
    assert "大商场" in response.content.decode()
    assert Enterprise.objects.count() == 0


def test_only_the_office_may_open_the_import_page(client, world):
    client.login(username="clerk", password=PASSWORD)
    assert client.get(reverse("enterprises:import")).status_code == 403


def test_the_command_imports_a_sheet(world, tmp_path):
    path = tmp_path / "e.xlsx"
    path.write_bytes(xlsx(good_rows(world), HEADERS))
    out = io.StringIO()
    call_command("import-enterprises", str(path), stdout=out)
    assert "2 were created" in out.getvalue()
    assert Enterprise.objects.count() == 2
