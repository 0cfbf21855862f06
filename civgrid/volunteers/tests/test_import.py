"""Importing the volunteer register from Excel: row errors, all or nothing, the importer's area."""

import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from civgrid.volunteers.imports import import_volunteers, template_workbook
from civgrid.volunteers.models import Team, Volunteer, VolunteerEvent
from civgrid.volunteers.tests.factories import id_number, make_service_category

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "手机号", "身份证号", "社区或网格编码", "服务队", "政治面貌"]


def workbook(*rows, title="七一路街道志愿者花名册"):
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(HEADER)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_clean_sheet_registers_every_volunteer_as_active(world):
    Team.objects.create(
        name="巾帼志愿服务队",
        category=make_service_category(),
        region=world.street,
        created_at=timezone.now(),
    )
    data = workbook(
        ("张桂兰", "13900000001", id_number(11), world.grid_a.code, "巾帼志愿服务队", "中共党员"),
        ("陈志强", 13900000002, id_number(12), world.street.code, "", ""),
    )
    result = import_volunteers(data, actor=world.office.user)
    assert result.ok and sorted(result.created) == sorted(["张桂兰", "陈志强"])
    first = Volunteer.objects.get(name="张桂兰")
    assert first.status == Volunteer.Status.ACTIVE and first.team.name == "巾帼志愿服务队"
    assert first.political_status == "party"
    assert Volunteer.objects.get(name="陈志强").phone == "13900000002"
    assert VolunteerEvent.objects.filter(action="import").count() == 2


def test_any_bad_row_imports_nothing_and_every_problem_is_listed_by_row(world):
    data = workbook(
        ("张桂兰", "13900000001", id_number(21), world.grid_a.code, "", ""),
        ("", "1390000", id_number(21), "NOPE", "没有的队", "无党派"),
        ("李四", "139x", id_number(22)[:-1] + "Z", world.district.code, "", ""),
    )
    result = import_volunteers(data, actor=world.office.user)
    assert not result.ok
    assert Volunteer.objects.count() == 0
    found = {(p.row, p.field) for p in result.errors}
    assert {(4, "name"), (4, "id_number"), (4, "region_code"), (4, "team")} <= found
    assert {(4, "political_status"), (5, "phone"), (5, "id_number"), (5, "region_code")} <= found
    assert (3, "id_number") not in found


def test_a_dry_run_checks_everything_and_writes_nothing(world):
    data = workbook(("张桂兰", "13900000001", id_number(31), world.grid_a.code, "", ""))
    result = import_volunteers(data, actor=world.office.user, dry_run=True)
    assert result.ok and result.created == ["张桂兰"]
    assert Volunteer.objects.count() == 0


def test_rows_outside_the_importers_area_are_refused(city):
    data = workbook(("张桂兰", "13900000001", id_number(41), city.grid_a.code, "", ""))
    result = import_volunteers(data, actor=city.office2.user)
    assert [(p.row, p.field) for p in result.errors] == [(3, "region_code")]


def test_a_file_that_is_not_a_workbook_is_reported(world):
    result = import_volunteers(b"not a zip", actor=world.office.user)
    assert [p.field for p in result.errors] == ["file"]


def test_the_template_has_the_headers_the_import_reads(world):
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(template_workbook())).worksheets[0]
    assert [c.value for c in ws[1]][:4] == HEADER[:4]


def test_the_command_imports_all_or_nothing(world, tmp_path):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook(("张桂兰", "13900000001", "123", world.grid_a.code, "", "")))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import-volunteers", str(bad), stdout=io.StringIO())
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook(("张桂兰", "13900000001", id_number(51), world.grid_a.code, "", "")))
    out = io.StringIO()
    call_command("import-volunteers", str(good), stdout=out)
    assert "1 were registered" in out.getvalue() and Volunteer.objects.count() == 1
