"""The party-branch register: import from Excel, scope by district, the counts by type."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from civgrid.appraisals import actions
from civgrid.appraisals.models import PartyBranch
from civgrid.appraisals.tests.factories import branch_workbook, make_branch
from civgrid.testing import PASSWORD

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def api_for(person):
    client = APIClient()
    client.force_authenticate(person.user)
    return client


def rows(world):
    return [
        [
            "JG001",
            "区城市管理局机关党支部",
            "机关",
            world.district.code,
            "区直机关工委",
            "",
            "CGJ",
            "王建国",
            "13812345678",
            "23",
        ],
        [
            "XX001",
            "七一路小学党支部",
            "学校",
            world.street.code,
            "区教育工委",
            "",
            "",
            "李芳",
            "",
            "12",
        ],
        [
            "SQ001",
            "国槐街社区党支部",
            "村（社区）",
            world.grid_a.code,
            "七一路街道党工委",
            "SCJ",
            "",
            "赵明",
            "",
            "41",
        ],
        ["LX001", "恒达物流公司党支部", "两新组织", world.grid_b.code, "", "", "", "", "", ""],
    ]


def test_the_office_imports_the_register_with_types_regions_and_units(world):
    result = actions.import_branches(branch_workbook(rows(world)), actor=world.office.user)
    assert result.ok, result.problems
    assert sorted(result.created) == ["JG001", "LX001", "SQ001", "XX001"]
    organ = PartyBranch.objects.get(code="JG001")
    assert (organ.kind, organ.unit, organ.member_count) == ("organ", world.unit, 23)
    assert organ.masked_phone() == "138****5678"
    community = PartyBranch.objects.get(code="SQ001")
    assert (community.kind, community.region, community.parent_unit) == (
        "village",
        world.grid_a,
        world.other_unit,
    )
    assert PartyBranch.objects.get(code="LX001").kind == "two_new"


def test_importing_again_updates_by_code_and_a_missing_column_keeps_what_is_stored(world):
    actions.import_branches(branch_workbook(rows(world)), actor=world.office.user)
    headers = ["支部编码", "支部名称", "类型", "所在区域"]
    again = branch_workbook([["JG001", "区城管局机关党支部", "机关", world.district.code]], headers)
    result = actions.import_branches(again, actor=world.office.user)
    assert result.updated == ["JG001"] and result.created == []
    organ = PartyBranch.objects.get(code="JG001")
    assert organ.name == "区城管局机关党支部"
    assert organ.secretary == "王建国"  # the column was left out


def test_every_bad_row_is_reported_and_nothing_is_imported(world):
    bad = [
        ["JG001", "机关党支部", "事业单位", world.district.code, "", "", "", "", "", ""],
        ["JG001", "重复", "机关", "NOWHERE", "", "", "无此单位", "", "电话", "很多"],
    ]
    result = actions.import_branches(branch_workbook(bad), actor=world.office.user)
    found = {(p.row, p.column) for p in result.errors}
    assert {
        (3, "类型"),
        (4, "支部编码"),
        (4, "所在区域"),
        (4, "所属单位"),
        (4, "联系电话"),
        (4, "党员人数"),
    } <= found
    assert not PartyBranch.objects.exists()


def test_a_dry_run_writes_nothing(world):
    result = actions.import_branches(
        branch_workbook(rows(world)), actor=world.office.user, dry_run=True
    )
    assert result.ok and len(result.created) == 4
    assert not PartyBranch.objects.exists()


def test_only_the_office_imports_branches(world):
    with pytest.raises(actions.NotAllowed):
        actions.import_branches(branch_workbook(rows(world)), actor=world.clerk.user)


def test_a_district_office_cannot_import_into_or_overwrite_another_district(city):
    make_branch(city.grid_a, code="JG001")
    mine = [["HY001", "淮阳区机关党支部", "机关", city.grid_a.code, "", "", "", "", "", ""]]
    result = actions.import_branches(branch_workbook(mine), actor=city.office2.user)
    assert [p.column for p in result.errors] == ["所在区域"]
    steal = [["JG001", "改名", "机关", city.grid2.code, "", "", "", "", "", ""]]
    result = actions.import_branches(branch_workbook(steal), actor=city.office2.user)
    assert "another district" in result.errors[0].message
    assert PartyBranch.objects.get(code="JG001").name != "改名"


def test_a_district_office_sees_its_branches_and_the_city_office_both(client, city):
    make_branch(city.grid_a, code="A1", name="川汇区支部")
    make_branch(city.grid2, code="B1", name="淮阳区支部")
    page = login(client, city.office2).get(reverse("appraisals:branches"))
    assert [b.code for b in page.context["page"].object_list] == ["B1"]
    assert "川汇区支部" not in page.content.decode()
    codes = [
        b["code"]
        for b in api_for(city.office2).get(reverse("api:party-branch-list")).json()["results"]
    ]
    assert codes == ["B1"]
    page = login(client, city.city_office).get(reverse("appraisals:branches"))
    assert [b.code for b in page.context["page"].object_list] == ["A1", "B1"]


def test_a_unit_clerk_sees_the_branches_of_their_unit_and_those_it_reviews(world):
    make_branch(world.grid_a, code="OWN", unit=world.unit)
    make_branch(world.grid_a, code="REVIEWED", parent_unit=world.unit)
    make_branch(world.grid_a, code="OTHER", unit=world.other_unit)
    codes = [
        b["code"]
        for b in api_for(world.clerk).get(reverse("api:party-branch-list")).json()["results"]
    ]
    assert codes == ["OWN", "REVIEWED"]


def test_grid_workers_and_residents_do_not_see_the_register(client, world):
    for person in (world.worker_a, world.resident):
        assert login(client, person).get(reverse("appraisals:branches")).status_code == 403
        assert api_for(person).get(reverse("api:party-branch-list")).status_code == 403


def test_the_register_counts_branches_by_type(client, world):
    for kind, n in (("organ", 17), ("school", 3), ("village", 18), ("two_new", 3)):
        for i in range(n):
            make_branch(world.grid_a, code=f"{kind}{i}", kind=kind)
    page = login(client, world.office).get(reverse("appraisals:branches"))
    assert [n for _k, _l, n in page.context["counts"]] == [17, 3, 18, 3]
    assert page.context["total"] == 41
    page = client.get(reverse("appraisals:branches") + "?kind=school")
    assert page.context["page"].paginator.count == 3


def test_the_import_page_and_its_template(client, world):
    login(client, world.office)
    template = client.get(reverse("appraisals:branch_template"))
    assert template.status_code == 200
    upload = SimpleUploadedFile("b.xlsx", branch_workbook(rows(world)), XLSX)
    page = client.post(reverse("appraisals:branch_import"), {"file": upload})
    assert page.context["result"].ok
    assert PartyBranch.objects.count() == 4


def test_the_template_imports_as_an_empty_register_with_one_clear_problem(world):
    from civgrid.appraisals.branches import template_workbook

    result = actions.import_branches(template_workbook(), actor=world.office.user)
    assert [p.message for p in result.errors] == ["The sheet has no branches."]


def test_the_command_imports_the_register(world, tmp_path, capsys):
    path = tmp_path / "b.xlsx"
    path.write_bytes(branch_workbook(rows(world)))
    call_command("import-branches", str(path))
    assert "4 branches were created" in capsys.readouterr().out
