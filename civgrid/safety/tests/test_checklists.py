"""Safety checklists: import (all or nothing, row errors, dry run), editions, items per kind,
the deadline rule, the shipped sample, pages and API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from civgrid.enterprises.models import Kind
from civgrid.safety import sample
from civgrid.safety.actions import import_checklist, make_current
from civgrid.safety.models import Checklist, ChecklistItem, Grade
from civgrid.safety.queries import items_for_kind
from civgrid.safety.rules import rectification_due_at
from civgrid.testing import PASSWORD
from civgrid.workcalendar.models import CalendarOverride

HEADERS = ["编码", "类别", "检查内容", "适用场所", "隐患等级", "整改期限"]
TZ = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.title = "检查表"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ROWS = [
    ["XF-01", "消防安全", "安全出口畅通", "全部", "重大", 1],
    ["SP-01", "食品安全", "健康证齐全", "小餐饮、小学校", "一般", None],
]


def load(world, rows=ROWS, code="A", **kw):
    return import_checklist(xlsx(rows), actor=world.office.user, code=code, name="检查表", **kw)


def test_a_good_sheet_becomes_the_first_and_current_edition(world):
    result = load(world)
    assert result.ok and result.items == 2
    checklist = Checklist.current()
    assert checklist.code == "A"
    food = checklist.items.get(code="SP-01")
    assert (food.kinds, food.grade, food.deadline_workdays) == (
        [Kind.SMALL_EATERY, Kind.SMALL_SCHOOL],
        Grade.GENERAL,
        5,
    )


def test_one_bad_row_imports_nothing_and_every_problem_is_listed_by_row(world):
    rows = [*ROWS, ["XF-01", "", "重复", "大卖场", "很大", 500]]
    result = load(world, rows)
    assert {(p.row, p.field) for p in result.errors} == {
        (4, "code"),
        (4, "section"),
        (4, "kinds"),
        (4, "grade"),
        (4, "deadline_workdays"),
    }
    assert not Checklist.objects.exists() and not ChecklistItem.objects.exists()


def test_a_dry_run_writes_nothing(world):
    result = load(world, dry_run=True)
    assert result.ok and result.items == 2 and result.checklist is None
    assert not Checklist.objects.exists()


def test_a_second_edition_leaves_the_first_as_it_was_until_made_current(world):
    load(world)
    load(world, [["XF-01", "消防安全", "安全出口畅通（新）", "全部", "重大", 2]], code="B")
    first, second = Checklist.objects.get(code="A"), Checklist.objects.get(code="B")
    assert first.is_current and not second.is_current
    assert first.items.get(code="XF-01").text == "安全出口畅通"
    assert make_current(second, actor=world.office.user)
    first.refresh_from_db()
    assert not first.is_current and Checklist.current() == second
    assert not make_current(second, actor=world.office.user)


def test_an_edition_code_cannot_be_used_twice(world):
    load(world)
    assert [p.field for p in load(world).errors] == ["code"]


def test_items_for_a_kind_are_those_that_apply_to_it(world):
    load(world)
    assert [i.code for i in items_for_kind(Kind.SMALL_EATERY)] == ["XF-01", "SP-01"]
    assert [i.code for i in items_for_kind(Kind.SMALL_HOTEL)] == ["XF-01"]


def test_the_deadline_counts_working_days_over_a_weekend_and_an_office_day_off(world):
    load(world)
    item = ChecklistItem.objects.get(code="SP-01")  # 5 working days
    found = dt.datetime(2026, 3, 12, 10, 0, tzinfo=TZ)  # a Thursday
    # 3/13, (weekend), 3/16, 3/17, 3/18, 3/19: due by the end of 3/19.
    assert rectification_due_at(item, found) == dt.datetime(2026, 3, 20, tzinfo=TZ)
    CalendarOverride.objects.create(day=dt.date(2026, 3, 16), is_workday=False, note="停工")
    assert rectification_due_at(item, found) == dt.datetime(2026, 3, 21, tzinfo=TZ)


def test_the_shipped_sample_imports_cleanly_and_names_the_issues_items(world):
    with open(sample.PATH, "rb") as handle:
        data = handle.read()
    assert data and len(sample.ITEMS) >= 15
    result = import_checklist(data, actor=None, code="2026", name="示例")
    assert result.ok, result.problems
    texts = " ".join(Checklist.current().items.values_list("text", flat=True))
    for words in (
        "用火用电",
        "安全出口",
        "应急照明",
        "消火栓",
        "巡查制度",
        "灭火器",
        "住人",
        "一懂三会",
    ):
        assert words in texts
    assert ChecklistItem.objects.filter(grade=Grade.MAJOR).exists()


def test_only_the_office_imports(world):
    from civgrid.cases.errors import NotAllowed

    with pytest.raises(NotAllowed):
        import_checklist(xlsx(ROWS), actor=world.clerk.user, code="A", name="x")


def test_the_command_imports_the_sample(world):
    out = io.StringIO()
    call_command("import-checklist", str(sample.PATH), code="2026", name="示例", stdout=out)
    assert f"{len(sample.ITEMS)} items were imported" in out.getvalue()


def test_the_checklist_page_filters_by_kind(client, world):
    load(world)
    client.login(username="worker_a", password=PASSWORD)
    body = client.get(reverse("safety:checklist") + "?kind=hotel").content.decode()
    assert 'data-item="XF-01"' in body and 'data-item="SP-01"' not in body


def test_the_import_page_shows_row_errors(client, world):
    client.login(username="office", password=PASSWORD)
    upload = io.BytesIO(xlsx([["X1", "消防", "x", "全部", "很大", ""]]))
    upload.name = "c.xlsx"
    response = client.post(reverse("safety:import"), {"file": upload, "code": "A", "name": "n"})
    assert response.status_code == 200 and "很大" in response.content.decode()
    assert not Checklist.objects.exists()


def test_a_resident_cannot_read_the_checklists(client, world):
    client.login(username="resident", password=PASSWORD)
    assert client.get(reverse("safety:checklist")).status_code == 403


def test_the_api_gives_the_items_for_a_kind(client, world):
    load(world)
    client.login(username="worker_a", password=PASSWORD)
    data = client.get(reverse("api:safety-checklist"), {"kind": "eatery"}).json()
    assert [i["code"] for i in data["items"]] == ["XF-01", "SP-01"]
    assert data["items"][0]["grade"] == "major"
