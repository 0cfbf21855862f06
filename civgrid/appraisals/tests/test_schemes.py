"""Schemes: the shipped 五星级党支部 scheme, the workbook round trip, bad workbooks, versions,
and who may keep them."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.management import call_command

from civgrid.appraisals import actions, grading
from civgrid.appraisals.excel import export_workbook
from civgrid.appraisals.models import ReviewLevel, Scheme, SchemeEvent
from civgrid.appraisals.tests.factories import five_star_scheme, workbook
from civgrid.lib.records import ImmutableError

pytestmark = pytest.mark.django_db


def tree_of(scheme: Scheme) -> list[tuple]:
    return [
        (
            p.criterion.dimension.code,
            p.criterion.dimension.name,
            p.criterion.dimension.pass_mark,
            p.criterion.code,
            p.criterion.name,
            p.code,
            p.text,
            p.max_points,
            p.evidence,
            p.evidence_kind,
            p.is_veto,
        )
        for p in scheme.points.select_related("criterion__dimension").order_by(
            "criterion__dimension__order", "criterion__order", "order"
        )
    ]


def test_the_five_star_branch_scheme_ships_with_five_stars_of_twenty_points(world):
    scheme = five_star_scheme(world.office.user)
    assert scheme.status == Scheme.Status.PUBLISHED
    rule = grading.rule_of(scheme)
    assert [d.name for d in rule.dimensions] == [
        "责任机制星",
        "政治引领星",
        "组织管理星",
        "服务群众星",
        "先锋模范星",
    ]
    assert all(d.max_points == D(20) and d.pass_mark == D(16) for d in rule.dimensions)
    assert {p.code for p in rule.points.values() if p.is_veto} == {"XF2-2", "ZR2-3"}
    assert [lv.by for lv in scheme.levels.all()] == [
        ReviewLevel.By.SUBJECT,
        ReviewLevel.By.PARENT,
        ReviewLevel.By.PANEL,
    ]


def test_a_scheme_exported_and_imported_again_is_the_same_tree(world):
    scheme = five_star_scheme(world.office.user)
    data = export_workbook(scheme)
    again = actions.import_scheme(data, actor=world.office.user)
    assert again.ok, again.problems
    assert again.scheme is not None and again.scheme.version == 2
    assert tree_of(again.scheme) == tree_of(scheme)
    assert again.scheme.description == scheme.description
    assert again.scheme.rule == scheme.rule


def test_a_bands_scheme_with_quota_survives_the_round_trip(world):
    first = actions.import_scheme(workbook(), actor=world.office.user)
    assert first.ok, first.problems
    scheme = first.scheme
    assert scheme is not None
    assert (scheme.quota_rank, scheme.quota_percent) == (1, D(20))
    assert [(b.label, b.min_score) for b in scheme.bands.all()] == [
        ("优秀", D(90)),
        ("良好", D(80)),
        ("合格", D(60)),
        ("不合格", D(0)),
    ]
    again = actions.import_scheme(export_workbook(scheme), actor=world.office.user)
    assert again.ok, again.problems
    assert again.scheme is not None and again.scheme.pk == scheme.pk  # the draft is replaced
    assert tree_of(again.scheme) == tree_of(scheme)
    assert again.scheme.bands.count() == 4
    rule = grading.rule_of(again.scheme)
    assert rule.quota == grading.Quota(1, D(20))
    assert grading.grade(rule, {"LZ1-1": D(40), "LZ1-2": D(30), "LZ2-1": D(20)}).label == "优秀"


def test_merged_star_and_criterion_cells_repeat_the_row_above(world):
    result = actions.import_scheme(workbook(), actor=world.office.user)
    assert result.scheme is not None
    assert result.scheme.dimensions.count() == 1
    assert list(result.scheme.dimensions.get().criteria.values_list("code", flat=True)) == [
        "LZ1",
        "LZ2",
    ]


def test_every_bad_cell_is_reported_by_sheet_row_and_column_and_nothing_is_written(world):
    points = [
        ["A", "甲星", "25", "A1", "内容", "A1-1", "要点", "20", "", "文件", "否"],
        ["A", "乙星", "", "A1", "内容", "A1-1", "重复编码", "abc", "", "视频", "也许"],
    ]
    data = workbook(
        scheme=[
            ("方案编码", "X"),
            ("方案名称", "测试"),
            ("考评对象", "外星人"),
            ("评定规则", "星级"),
        ],
        points=points,
        levels=[["1", "自评", "谁都行", ""]],
        bands=[],
    )
    result = actions.import_scheme(data, actor=world.office.user)
    assert not result.ok
    found = {(p.sheet, p.row, p.column) for p in result.errors}
    assert ("方案", 4, "考评对象") in found
    assert ("考评标准", 3, "星/维度") in found  # 乙星 where row 2 named A 甲星
    assert ("考评标准", 3, "要点编码") in found
    assert ("考评标准", 3, "分值") in found
    assert ("考评标准", 3, "佐证类型") in found
    assert ("考评标准", 3, "一票否决") in found
    assert ("审核层级", 2, "由谁") in found
    assert not Scheme.objects.exists()


def test_a_pass_mark_above_the_stars_points_is_a_warning_on_import_and_refused_at_publish(world):
    points = [["A", "甲星", "25", "A1", "内容", "A1-1", "要点", "20", "", "文件", "否"]]
    data = workbook(
        scheme=[
            ("方案编码", "X"),
            ("方案名称", "测试"),
            ("考评对象", "党支部"),
            ("评定规则", "星级"),
        ],
        points=points,
        bands=[],
    )
    result = actions.import_scheme(data, actor=world.office.user)
    assert result.ok
    assert any("above its points" in p.message for p in result.warnings)
    assert result.scheme is not None
    with pytest.raises(actions.AppraisalError, match="above its points"):
        actions.publish_scheme(result.scheme, actor=world.office.user)
    result.scheme.refresh_from_db()
    assert result.scheme.is_draft


def test_a_dry_run_checks_and_writes_nothing(world):
    result = actions.import_scheme(workbook(), actor=world.office.user, dry_run=True)
    assert result.ok
    assert not Scheme.objects.exists()
    assert not SchemeEvent.objects.exists()


def test_a_file_that_is_not_a_workbook_is_one_clear_problem(world):
    result = actions.import_scheme(b"not a zip", actor=world.office.user)
    assert [p.field for p in result.errors] == ["file"]


def test_publishing_retires_the_previous_version_and_a_published_version_is_frozen(world):
    v1 = five_star_scheme(world.office.user)
    with pytest.raises(actions.AppraisalError):
        actions.publish_scheme(v1, actor=world.office.user)
    v2 = actions.new_version(v1, actor=world.office.user)
    assert (v2.version, v2.status) == (2, Scheme.Status.DRAFT)
    assert tree_of(v2) == tree_of(v1)
    assert v2.levels.count() == 3
    with pytest.raises(actions.AppraisalError, match="already has a draft"):
        actions.new_version(v1, actor=world.office.user)
    actions.publish_scheme(v2, actor=world.office.user)
    v1.refresh_from_db()
    assert v1.status == Scheme.Status.RETIRED
    kinds = list(SchemeEvent.objects.filter(scheme=v2).values_list("kind", "by_name"))
    assert kinds == [("new_version", "创建办张主任"), ("published", "创建办张主任")]


def test_scheme_events_are_never_edited(world):
    scheme = five_star_scheme(world.office.user)
    event = scheme.events.first()
    assert event is not None
    event.note = "changed"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()


def test_only_the_office_imports_schemes(world):
    for person in (world.inspector, world.clerk, world.worker_a, world.resident):
        with pytest.raises(actions.NotAllowed):
            actions.import_scheme(workbook(), actor=person.user)
    assert not Scheme.objects.exists()


def test_a_district_office_keeps_its_own_schemes_and_not_another_districts(city):
    mine = actions.import_scheme(workbook(), actor=city.office.user).scheme
    assert mine is not None and mine.region == city.district
    with pytest.raises(actions.NotAllowed):
        actions.publish_scheme(mine, actor=city.office2.user)
    result = actions.import_scheme(workbook(), actor=city.office2.user)
    assert not result.ok and "another office" in result.errors[0].message
    actions.publish_scheme(mine, actor=city.city_office.user)  # the city office keeps all


def test_a_city_scheme_is_the_city_offices(city):
    scheme = five_star_scheme(city.city_office.user, publish=False)
    assert scheme.region is None
    with pytest.raises(actions.NotAllowed):
        actions.publish_scheme(scheme, actor=city.office.user)


def test_the_command_imports_and_publishes_the_shipped_scheme(db, capsys):
    call_command("import-scheme", "five-star-branch", "--publish")
    scheme = Scheme.objects.get(code="WXDZB")
    assert scheme.status == Scheme.Status.PUBLISHED
    assert "imported" in capsys.readouterr().out
