import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from civgrid.org.actions import import_people
from civgrid.org.imports import template_workbook
from civgrid.org.models import Person, Role, Unit
from civgrid.testing import make_site

pytestmark = pytest.mark.django_db

UNIT_HEADERS = ["单位编码", "单位名称", "单位类型", "联系电话"]
PEOPLE_HEADERS = [
    "账号",
    "姓名",
    "手机号",
    "角色",
    "所属单位编码",
    "负责网格编码",
    "分包点位编码",
    "初始密码",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(
    units=None,
    people=None,
    unit_headers=UNIT_HEADERS,
    people_headers=PEOPLE_HEADERS,
    sheet_names=("units", "people"),
):
    wb = Workbook()
    wb.remove(wb.active)
    if units is not None:
        ws = wb.create_sheet(sheet_names[0])
        ws.append(unit_headers)
        for row in units:
            ws.append(row)
    if people is not None:
        ws = wb.create_sheet(sheet_names[1])
        ws.append(people_headers)
        for row in people:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def state():
    return (
        list(Unit.objects.order_by("code").values_list("code", "name", "kind", "phone")),
        list(Person.objects.order_by("pk").values_list("name", "role", "unit_id", "phone")),
        list(get_user_model().objects.order_by("username").values_list("username", "password")),
    )


def test_units_and_people_import_with_chinese_headers_and_labels(world):
    site = make_site(world.grid_a, code="S-GH-1")
    data = xlsx(
        units=[
            ["HBJ", "生态环境分局", "区直单位", "0394-8212345"],
            ["SQ-GH", "国槐社区居委会", "村居", None],
            ["GDGS", "供电公司", "partner", None],
        ],
        people=[
            [
                "clerk-hbj",
                "王建国",
                13812345678,
                "责任单位联络员",
                "HBJ",
                None,
                None,
                "Hbj-pass-2026",
            ],
            [
                "w-guohuai",
                "李秀英",
                "13900001111",
                "网格员",
                None,
                f"{world.grid_a.code}，{world.grid_b.code}",
                None,
                None,
            ],
            [
                "leader-9",
                "赵志强",
                None,
                "分包领导",
                None,
                world.area.code,
                "S-GH-1",
                "Zhao-qiang-2026",
            ],
            [None, None, None, None, None, None, None, None],  # blank line: skipped
            ["zhao", "赵女士", None, "resident", None, None, None, "Zhao-pass-77"],
        ],
    )
    result = import_people(data, actor=None)
    assert result.ok, result.problems
    assert sorted(result.units_created) == ["GDGS", "HBJ", "SQ-GH"]
    assert result.people_created == ["clerk-hbj", "w-guohuai", "leader-9", "zhao"]
    assert Unit.objects.get(code="SQ-GH").kind == Unit.Kind.VILLAGE
    assert Unit.objects.get(code="HBJ").phone == "0394-8212345"

    clerk = Person.objects.get(user__username="clerk-hbj")
    assert (clerk.role, clerk.unit.code, clerk.phone) == (Role.UNIT_CLERK, "HBJ", "13812345678")
    assert clerk.user.check_password("Hbj-pass-2026")
    worker = Person.objects.get(user__username="w-guohuai")
    assert worker.role == Role.GRID_WORKER
    assert set(worker.regions.all()) == {world.grid_a, world.grid_b}
    assert not worker.user.has_usable_password()
    assert [n for n in result.notices if "w-guohuai" in n] == [
        "Row 3: w-guohuai (李秀英) has no password and cannot log in until one is set "
        "(civgrid changepassword w-guohuai, or the admin)."
    ]
    leader = Person.objects.get(user__username="leader-9")
    assert list(leader.regions.all()) == [world.area] and list(leader.sites.all()) == [site]


def test_english_headers_and_existing_accounts_are_updated(world):
    data = xlsx(
        units=[["CGJ", "城市管理局", "department", "0394-8200000"]],
        people=[
            [
                "clerk",
                "城管局联络员（新）",
                "13700000000",
                "unit_clerk",
                "CGJ",
                "",
                "",
                "New-pass-1",
            ]
        ],
        unit_headers=["code", "name", "kind", "phone"],
        people_headers=[
            "username",
            "name",
            "phone",
            "role",
            "unit_code",
            "region_codes",
            "site_codes",
            "password",
        ],
    )
    result = import_people(data, actor=None)
    assert result.ok, result.problems
    assert result.units_updated == ["CGJ"] and result.people_updated == ["clerk"]
    world.clerk.refresh_from_db()
    assert (world.clerk.name, world.clerk.phone) == ("城管局联络员（新）", "13700000000")
    assert world.unit.phone == "" and Unit.objects.get(code="CGJ").phone == "0394-8200000"
    # The initial password is for new accounts only.
    assert not world.clerk.user.check_password("New-pass-1")
    assert any("already exists" in n for n in result.notices)


def test_a_bad_workbook_changes_nothing_and_names_sheet_and_row(world):
    before = state()
    data = xlsx(
        units=[
            ["NEW", "新单位", "区直单位", None],
            ["NEW", "另一个新单位", "区直单位", None],  # row 3: duplicate code
            ["X1", "市场监督管理局", "区直单位", None],  # row 4: name taken by SCJ
            ["X2", "某单位", "省直单位", None],  # row 5: unknown kind
        ],
        people=[
            ["ok-person", "张三", None, "网格员", None, world.grid_a.code, None, "Zhang-pass-1"],
            ["bad-role", "李四", None, "队长", None, None, None, None],  # row 3
            ["clerk-x", "王五", None, "责任单位联络员", None, None, None, None],  # row 4
            ["w-x", "赵六", None, "网格员", None, world.area.code, None, None],  # row 5
            ["ok-person", "重复", None, "群众", None, None, None, None],  # row 6
            ["c-y", "孙七", "12ab", "联络员", "NOPE", None, None, None],  # row 7
            ["short", "周八", None, "群众", None, None, None, "123"],  # row 8
        ],
    )
    result = import_people(data, actor=None)
    assert not result.ok
    assert [(p.sheet, p.row, p.code, p.field) for p in result.errors] == [
        ("units", 3, "NEW", "code"),
        ("units", 4, "X1", "name"),
        ("units", 5, "X2", "kind"),
        ("people", 3, "bad-role", "role"),
        ("people", 4, "clerk-x", "unit_code"),
        ("people", 5, "w-x", "region_codes"),
        ("people", 6, "ok-person", "username"),
        ("people", 7, "c-y", "phone"),
        ("people", 7, "c-y", "unit_code"),
        ("people", 8, "short", "password"),
    ]
    by_row = {(p.sheet, p.row): p.message for p in result.errors}
    assert by_row[("units", 3)] == "Unit code NEW appears more than once (first in row 2)."
    assert by_row[("units", 4)] == "Another unit (SCJ) already has the name 市场监督管理局."
    assert by_row[("people", 3)].startswith("Unknown role “队长”: use 创建办、督查、分包领导")
    assert by_row[("people", 4)] == "A unit clerk needs the code of their unit."
    assert by_row[("people", 5)] == (
        f"{world.area.code} is not a grid: grid workers are assigned grids."
    )
    assert by_row[("people", 7)] == "Unknown unit NOPE: not in the units sheet nor in civgrid."
    assert "too short" in by_row[("people", 8)]
    assert state() == before


def test_missing_columns_are_reported_on_the_header_row(db):
    result = import_people(xlsx(people=[["a", "b"]], people_headers=["账号", "姓名"]), actor=None)
    [error] = result.errors
    assert (error.sheet, error.row, error.message) == ("people", 1, "Missing column(s): 角色.")


def test_a_title_line_above_the_header_is_allowed_and_rows_keep_their_excel_numbers(db):
    wb = Workbook()
    ws = wb.active
    ws.title = "people"
    ws.append(["七一路街道网格员花名册"])
    ws.append(PEOPLE_HEADERS)
    ws.append(["x", "某人", None, "队长", None, None, None, None])
    out = io.BytesIO()
    wb.save(out)
    [error] = import_people(out.getvalue(), actor=None).errors
    assert (error.sheet, error.row, error.field) == ("people", 3, "role")


def test_chinese_sheet_names_are_accepted(world):
    data = xlsx(
        units=[["NEW", "新单位", "共建单位", None]], people=[], sheet_names=("单位", "人员")
    )
    assert import_people(data, actor=None).units_created == ["NEW"]


def test_a_file_that_is_not_a_workbook_is_refused(db):
    [error] = import_people(b"PK\x03\x04 not really", actor=None).errors
    assert error.message.startswith("The file is not an Excel workbook (.xlsx)")


def test_the_template_has_both_sheets_with_the_chinese_headers():
    wb = load_workbook(io.BytesIO(template_workbook()))
    assert [c.value for c in wb["units"][1]] == UNIT_HEADERS
    assert [c.value for c in wb["people"][1]] == PEOPLE_HEADERS
    assert wb["units"].max_row == 1 and wb["people"].max_row == 1


def test_the_filled_in_template_imports(world):
    wb = load_workbook(io.BytesIO(template_workbook()))
    wb["units"].append(["NEW", "新单位", "区直单位"])
    wb["people"].append(
        ["new-clerk", "新联络员", "", "责任单位联络员", "NEW", "", "", "New-pass-2"]
    )
    out = io.BytesIO()
    wb.save(out)
    result = import_people(out.getvalue(), actor=None)
    assert result.ok and result.people_created == ["new-clerk"]


def test_the_command_imports_and_prints_the_password_notice(tmp_path, capsys, world):
    path = tmp_path / "people.xlsx"
    path.write_bytes(
        xlsx(people=[["w-new", "新网格员", None, "网格员", None, world.grid_a.code, None, None]])
    )
    call_command("import-people", str(path))
    out = capsys.readouterr().out
    assert "w-new (新网格员) has no password" in out and "People: 1 were created" in out


def test_the_command_fails_with_row_numbers_on_a_bad_file(tmp_path, capsys, db):
    path = tmp_path / "people.xlsx"
    path.write_bytes(xlsx(people=[["x", "某人", None, "队长", None, None, None, None]]))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import-people", str(path))
    assert "people:2" in capsys.readouterr().out
    assert not get_user_model().objects.filter(username="x").exists()


def test_a_column_the_sheet_does_not_have_keeps_what_is_stored(world):
    Person.objects.filter(pk=world.worker_a.pk).update(phone="13900001111")
    data = xlsx(
        people=[["worker_a", "网格员甲（改名）", "网格员"]],
        people_headers=["账号", "姓名", "角色"],
    )
    result = import_people(data, actor=None)
    assert result.ok, result.problems
    world.worker_a.refresh_from_db()
    assert world.worker_a.name == "网格员甲（改名）"
    assert world.worker_a.phone == "13900001111"
    assert list(world.worker_a.regions.all()) == [world.grid_a]


def test_an_empty_cell_in_a_present_column_clears_the_value(world):
    Person.objects.filter(pk=world.leader.pk).update(phone="13900002222")
    data = xlsx(
        people=[["leader", "分包王区长", "", "分包领导", "", "", "", ""]],
    )
    result = import_people(data, actor=None)
    assert result.ok, result.problems
    world.leader.refresh_from_db()
    assert world.leader.phone == "" and not world.leader.regions.exists()


def test_a_new_grid_worker_without_the_grid_column_is_refused(world):
    data = xlsx(
        people=[["worker_new", "新网格员", "网格员"]], people_headers=["账号", "姓名", "角色"]
    )
    result = import_people(data, actor=None)
    assert [p.field for p in result.errors] == ["region_codes"]
    assert not Person.objects.filter(user__username="worker_new").exists()


def test_the_report_names_the_column_as_the_sheet_heads_it(world):
    data = xlsx(people=[["w9", "新网格员", "", "网格员", "", "NOPE", "", ""]])
    [problem] = import_people(data, actor=None).errors
    assert (problem.field, problem.column) == ("region_codes", "负责网格编码")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678", "This password is entirely numeric."),
        ("password", "This password is too common."),
    ],
)
def test_a_weak_initial_password_is_refused_by_row_and_column_and_nothing_is_imported(
    world, password, message
):
    before = state()
    data = xlsx(
        people=[
            ["good", "张三", None, "群众", None, None, None, "Zhang-pass-1"],
            ["weak", "李四", None, "群众", None, None, None, password],  # row 3
        ]
    )
    result = import_people(data, actor=None)
    assert [(p.sheet, p.row, p.code, p.column) for p in result.errors] == [
        ("people", 3, "weak", "初始密码")
    ]
    assert message in result.errors[0].message
    assert state() == before


def test_the_weak_password_error_is_translated(world):
    data = xlsx(people=[["weak", "李四", None, "群众", None, None, None, "12345678"]])
    with translation.override("zh-hans"):
        result = import_people(data, actor=None)
    assert "密码" in result.errors[0].message
    assert "entirely numeric" not in result.errors[0].message


def test_a_password_like_the_account_name_is_refused_even_when_the_row_has_other_errors(world):
    data = xlsx(people=[["zhangwei2026", "张伟", "12ab", "群众", None, None, None, "zhangwei2026"]])
    result = import_people(data, actor=None)
    assert [p.field for p in result.errors] == ["phone", "password"]
    assert "too similar to the username" in result.errors[1].message


def test_a_district_office_imports_units_and_people_of_its_district_only(city):
    data = xlsx(
        units=[["HY-CGJ-2", "城市管理局", "区直单位", None]],  # the same name as 川汇区's unit
        people=[
            ["hy-worker", "淮阳网格员二", None, "网格员", None, city.grid2.code, None, None],
            ["hy-office", "淮阳区创建办李", None, "创建办", None, None, None, None],
        ],
    )
    result = import_people(data, actor=city.office2.user)
    assert result.ok, result.problems
    unit = Unit.objects.get(code="HY-CGJ-2")
    assert unit.region == city.district2
    office = Person.objects.get(user__username="hy-office")
    assert list(office.regions.all()) == [city.district2]


def test_a_district_office_cannot_reach_into_another_district_by_import(city):
    before = state()
    data = xlsx(
        units=[[city.unit.code, "改名", "区直单位", None]],
        people=[
            ["w-out", "越界", None, "网格员", None, city.grid_a.code, None, None],
            ["c-out", "越界二", None, "联络员", city.unit.code, None, None, None],
            [
                city.worker_a.user.username,
                "改名",
                None,
                "网格员",
                None,
                city.grid2.code,
                None,
                None,
            ],
            [city.city_office.user.username, "改名", None, "创建办", None, None, None, None],
        ],
    )
    result = import_people(data, actor=city.office2.user)
    assert [(p.sheet, p.row, p.field) for p in result.errors] == [
        ("units", 2, "code"),
        ("people", 2, "region_codes"),
        ("people", 3, "unit_code"),
        ("people", 4, "username"),
        ("people", 5, "username"),
    ]
    assert state() == before
