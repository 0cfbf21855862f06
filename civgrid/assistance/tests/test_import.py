"""Importing the existing roll: every row checked, all or nothing, a dry run writes nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from civgrid.assistance.imports import import_roll, template_workbook
from civgrid.assistance.models import Beneficiary, BeneficiaryEvent
from civgrid.assistance.tests.factories import enrol, id_number

pytestmark = pytest.mark.django_db
HEADERS = [
    "项目编码",
    "户编码",
    "姓名",
    "身份证号码",
    "保障人数",
    "开户银行",
    "银行账号",
    "享受起始日期",
]


def workbook(*rows, title="城市低保名册（2026年1月）"):
    wb = Workbook()
    ws = wb.active
    ws.title = "名册"
    ws.append([title])
    ws.append(HEADERS)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def good_rows(w):
    return [
        (
            "CH-DB",
            "GH-001",
            "张秀兰",
            id_number(dt.date(1956, 4, 3)),
            3,
            "农商银行",
            "6230520460001234567",
            dt.datetime(2025, 7, 1),  # noqa: DTZ001 (Excel dates have no time zone)
        ),
        ("CH-GL", "GH-002", "周桂花", id_number(dt.date(1938, 5, 6)), "", "", "", "2025/12/1"),
        (
            "CH-DB",
            "FM-001",
            "赵强",
            id_number(dt.date(1970, 1, 9)),
            "2",
            "邮储银行",
            "6217 9912 3456 7890",
            "20260101",
        ),
    ]


def test_a_good_roll_comes_in_active_with_an_event_per_person(rolls):
    result = import_roll(workbook(*good_rows(rolls)), actor=rolls.mz.user)
    assert result.ok and result.created == 3
    people = {b.name: b for b in Beneficiary.objects.all()}
    assert people["张秀兰"].status == "active" and people["张秀兰"].persons == 3
    assert people["张秀兰"].starts_on == dt.date(2025, 7, 1)
    assert people["周桂花"].programme == rolls.elderly and people["周桂花"].persons == 1
    assert people["赵强"].bank_account == "6217991234567890"
    assert people["赵强"].starts_on == dt.date(2026, 1, 1)
    events = BeneficiaryEvent.objects.filter(kind="imported")
    assert events.count() == 3 and {e.by_name for e in events} == {"民政王科长"}


def test_a_dry_run_checks_everything_and_writes_nothing(rolls):
    result = import_roll(workbook(*good_rows(rolls)), actor=rolls.mz.user, dry_run=True)
    assert result.ok and result.created == 3
    assert not Beneficiary.objects.exists()


def test_one_bad_row_and_nothing_is_imported_with_every_problem_by_row(rolls):
    enrol(rolls, id_number=(existing := id_number(dt.date(1950, 2, 2))))
    twice = id_number(dt.date(1960, 3, 3))
    rows = [
        *good_rows(rolls),
        ("CH-DB", "GH-001", "错号", "110105194912310021", 1, "", "", "2026-01-01"),  # row 6
        ("CH-DB", "GH-001", "甲", twice, 1, "", "", "2026-01-01"),  # row 7
        ("CH-DB", "GH-002", "甲又一次", twice, 1, "", "", "2026-01-01"),  # row 8
        ("CH-DB", "GH-001", "已在册", existing, 1, "", "", "2026-01-01"),  # row 9
        ("CH-GL", "GH-001", "太年轻", id_number(dt.date(1960, 1, 1)), 1, "", "", "2026-01-01"),
        ("HY-DB", "LH-001", "外区", id_number(dt.date(1960, 1, 1)), 1, "", "", "2026-01-01"),
        ("CH-DB", "LH-001", "外区住户", id_number(dt.date(1961, 1, 1)), 1, "", "", "2026-01-01"),
        ("CH-DB", "GH-001", "坏日期", id_number(dt.date(1962, 1, 1)), 1, "", "", "2026-13-01"),
        ("CH-DB", "GH-001", "坏账号", id_number(dt.date(1963, 1, 1)), 1, "", "62A", "2026-01-01"),
    ]
    result = import_roll(workbook(*rows), actor=rolls.mz.user)
    assert not result.ok
    found = {(p.row, p.field) for p in result.errors}
    assert found == {
        (6, "id_number"),
        (8, "id_number"),
        (9, "id_number"),
        (10, "starts_on"),
        (11, "programme"),
        (11, "household"),
        (12, "household"),
        (13, "starts_on"),
        (14, "bank_account"),
    }
    assert "row 7" in next(p.message for p in result.errors if p.row == 8)
    # No message repeats an ID number.
    assert not any(twice in p.message or existing in p.message for p in result.problems)
    assert Beneficiary.objects.count() == 1 and BeneficiaryEvent.objects.count() == 2


def test_only_civil_affairs_imports_its_own_programmes(rolls):
    for persona in ("community", "office", "mz2"):
        result = import_roll(workbook(*good_rows(rolls)), actor=getattr(rolls, persona).user)
        assert not result.ok and {p.field for p in result.errors} >= {"programme"}
    assert not Beneficiary.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(rolls):
    result = import_roll(b"PK\x03\x04 not really", actor=rolls.mz.user)
    assert not result.ok and result.errors[0].field == "file"


def test_the_command_imports_the_template_shape_and_refuses_bad_files(rolls, tmp_path):
    template = tmp_path / "template.xlsx"
    call_command("import-assistance", str(template), "--template")
    assert template.read_bytes()[:2] == b"PK" and template_workbook()[:2] == b"PK"
    good = tmp_path / "roll.xlsx"
    good.write_bytes(workbook(*good_rows(rolls)))
    out = io.StringIO()
    call_command("import-assistance", str(good), "--user", "minzheng", "--dry-run", stdout=out)
    assert "3 enrolment(s) would be imported" in out.getvalue()
    assert not Beneficiary.objects.exists()
    call_command("import-assistance", str(good), "--user", "minzheng", stdout=io.StringIO())
    assert Beneficiary.objects.count() == 3
