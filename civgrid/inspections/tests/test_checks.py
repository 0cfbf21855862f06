"""Filling the checklist: a failed item becomes exactly one ledger case, routed right."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from civgrid.cases.actions import IllegalTransition, InvalidInput, NotAllowed
from civgrid.cases.models import Case, Source
from civgrid.cases.workflow import Status as CaseStatus
from civgrid.inspections import actions
from civgrid.inspections.models import CheckAnswer, CheckResult, Finding, InspectionSite, Kind
from civgrid.inspections.models import Status as InspectionStatus
from civgrid.inspections.tests.factories import make_framework, plan, site_of, two_sites
from civgrid.org.models import Role
from civgrid.testing import make_person, make_site, photo_upload

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Monday 2 March 2026, 10:00 in Shanghai: no holiday in the five working days after it.
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def setup(world):
    fw = make_framework(world)
    road, market = two_sites(world)
    inspection = plan(world, fw, [road, market])
    return world, fw, inspection, site_of(inspection, road), site_of(inspection, market)


def fail(isite, standard, by, **kw):
    return actions.record_check(isite, actor=by.user, standard=standard, outcome="fail", **kw)


def test_a_failed_item_creates_one_case_with_the_lead_unit_and_the_categorys_deadline(setup):
    world, fw, inspection, road, _market = setup
    with time_machine.travel(MONDAY, tick=False):
        result = fail(
            road,
            fw.s2,
            world.inspector,
            note="人行道有摊位",
            question=fw.s2.questions.first(),
            photos=[photo_upload()],
        )
    finding = Finding.objects.get()
    case = finding.case
    assert finding.check_result == result and finding.standard == fw.s2
    assert finding.site == road.site and finding.inspection == inspection
    assert case.status == CaseStatus.ASSIGNED
    assert case.unit == world.other_unit  # S2's lead unit, not the category's default
    assert case.source == Source.INSPECTION
    assert case.site == road.site and case.grid == world.grid_a
    # 5 working days after Monday 2 March: Tue 3 … Mon 9; due at the end of the 9th.
    assert case.due_at == dt.datetime(2026, 3, 10, 0, 0, tzinfo=SHANGHAI)
    assert case.photos.count() == 1
    assert "S2" in case.description and "人行道有摊位" in case.description
    assert "S2 要点一" in case.description
    assert [e.action for e in case.events.all()] == ["report", "register", "assign"]
    assert Case.objects.count() == 1


def test_resending_a_failure_makes_no_second_case_and_keeps_the_answers(setup):
    world, fw, _inspection, road, _market = setup
    fail(road, fw.s1, world.inspector, note="第一次")
    fail(road, fw.s1, world.inspector, note="补充说明")
    other = make_person(Role.INSPECTOR, username="inspector2")
    road.inspection.team.add(other.user)
    fail(road, fw.s1, other, note="另一人再报")
    assert Case.objects.count() == 1 and Finding.objects.count() == 1
    result = CheckResult.objects.get()
    assert result.note == "另一人再报" and result.revision == 3
    assert [a.note for a in CheckAnswer.objects.all()] == ["第一次", "补充说明", "另一人再报"]


def test_a_pass_can_be_re_answered_as_a_failure_before_completion(setup):
    world, fw, _inspection, road, _market = setup
    actions.record_check(road, actor=world.inspector.user, standard=fw.s1, outcome="pass")
    assert Case.objects.count() == 0
    fail(road, fw.s1, world.inspector, note="复看发现问题")
    assert Case.objects.count() == 1
    assert CheckResult.objects.get().outcome == "fail"


def test_a_failure_on_the_ledger_cannot_be_turned_into_a_pass(setup):
    world, fw, _inspection, road, _market = setup
    fail(road, fw.s1, world.inspector)
    with pytest.raises(IllegalTransition):
        actions.record_check(road, actor=world.inspector.user, standard=fw.s1, outcome="pass")
    assert CheckResult.objects.get().outcome == "fail"


def test_fixed_on_the_spot_is_recorded_as_such_and_closes_the_case(setup):
    world, fw, _inspection, road, _market = setup
    fail(road, fw.s1, world.inspector, fixed_on_spot=True, fix_note="当场清理")
    case = Finding.objects.get().case
    assert case.status == CaseStatus.CLOSED and case.fixed_on_spot
    assert case.unit is None
    assert [e.action for e in case.events.all()] == ["report", "fix_on_spot"]
    assert CheckResult.objects.get().fixed_on_spot


def test_fixed_on_the_spot_needs_a_note(setup):
    world, fw, _inspection, road, _market = setup
    with pytest.raises(InvalidInput) as caught:
        fail(road, fw.s1, world.inspector, fixed_on_spot=True, fix_note=" ")
    assert caught.value.field == "fix_note"
    assert not CheckResult.objects.exists()


def test_a_self_check_files_its_cases_as_self_check(world):
    fw = make_framework(world)
    road, _market = two_sites(world)
    inspection = plan(world, fw, [road], kind=Kind.SELF_CHECK)
    fail(site_of(inspection, road), fw.s1, world.inspector)
    assert Finding.objects.get().case.source == Source.SELF_CHECK


def test_a_standard_without_category_is_refused_and_nothing_is_written(world):
    fw = make_framework(world)
    school = make_site(world.grid_a, kind="school")
    inspection = plan(world, fw, [school])
    with pytest.raises(InvalidInput) as caught:
        fail(site_of(inspection, school), fw.s4, world.inspector)
    assert "framework" in caught.value.message
    assert not CheckResult.objects.exists() and not Case.objects.exists()
    # A pass of the same standard is fine: only a failure needs somewhere to go.
    actions.record_check(
        site_of(inspection, school), actor=world.inspector.user, standard=fw.s4, outcome="pass"
    )


def test_a_standard_not_checked_at_that_kind_of_site_is_refused(setup):
    world, fw, _inspection, road, _market = setup
    with pytest.raises(InvalidInput) as caught:
        fail(road, fw.s3, world.inspector)  # S3 is for markets
    assert caught.value.field == "standard"
    assert not CheckResult.objects.exists()


def test_a_standard_of_another_framework_is_refused(setup):
    world, _fw, _inspection, road, _market = setup
    other = make_framework(world, code="2020", current=False)
    with pytest.raises(InvalidInput):
        fail(road, other.s1, world.inspector)


def test_answers_after_completion_are_refused(setup):
    world, fw, inspection, road, market = setup
    for standard in (fw.s1, fw.s2):
        actions.record_check(road, actor=world.inspector.user, standard=standard, outcome="pass")
    actions.record_check(
        market, actor=world.inspector.user, standard=fw.s1, outcome="not_applicable"
    )
    actions.record_check(market, actor=world.inspector.user, standard=fw.s3, outcome="pass")
    actions.complete_site(road, actor=world.inspector.user)
    actions.complete_site(market, actor=world.inspector.user)
    actions.complete_inspection(inspection, actor=world.inspector.user)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.COMPLETED
    with pytest.raises(IllegalTransition):
        fail(road, fw.s1, world.inspector)
    assert not Case.objects.exists()


def test_a_site_is_done_only_when_every_standard_is_answered(setup):
    world, fw, inspection, road, _market = setup
    actions.record_check(road, actor=world.inspector.user, standard=fw.s1, outcome="pass")
    with pytest.raises(InvalidInput) as caught:
        actions.complete_site(road, actor=world.inspector.user)
    assert "S2" in caught.value.message
    with pytest.raises(IllegalTransition):
        actions.complete_inspection(inspection, actor=world.office.user)


@pytest.mark.parametrize("who", ["office", "clerk", "worker_a", "leader", "resident"])
def test_only_the_team_records_checks(setup, who):
    world, fw, _inspection, road, _market = setup
    with pytest.raises(NotAllowed):
        fail(road, fw.s1, getattr(world, who))
    assert not CheckResult.objects.exists()


def test_the_first_answer_starts_the_inspection_and_keeps_the_gps_fix(setup):
    world, fw, inspection, road, _market = setup
    actions.record_check(
        road,
        actor=world.inspector.user,
        standard=fw.s1,
        outcome="pass",
        longitude=114.6051,
        latitude=33.6052,
        accuracy=30.0,
    )
    actions.record_check(
        road,
        actor=world.inspector.user,
        standard=fw.s2,
        outcome="pass",
        longitude=114.7,
        latitude=33.7,
        accuracy=80.0,  # worse: the better fix stays
    )
    inspection.refresh_from_db()
    road = InspectionSite.objects.get(pk=road.pk)
    assert inspection.status == InspectionStatus.IN_PROGRESS
    assert (road.longitude, road.latitude, road.accuracy) == (114.6051, 33.6052, 30.0)
    assert road.visited_by == world.inspector.user


def test_bad_coordinates_and_photos_on_a_pass_are_refused(setup):
    world, fw, _inspection, road, _market = setup
    with pytest.raises(InvalidInput):
        actions.record_check(
            road,
            actor=world.inspector.user,
            standard=fw.s1,
            outcome="pass",
            longitude=200.0,
            latitude=10.0,
        )
    with pytest.raises(InvalidInput) as caught:
        actions.record_check(
            road,
            actor=world.inspector.user,
            standard=fw.s1,
            outcome="pass",
            photos=[photo_upload()],
        )
    assert caught.value.field == "photos"
    with pytest.raises(InvalidInput):
        actions.record_check(road, actor=world.inspector.user, standard=fw.s1, outcome="maybe")
    assert not CheckResult.objects.exists()


def test_only_the_office_and_inspectors_plan_and_the_team_must_be_inspectors(world):
    fw = make_framework(world)
    road, _market = two_sites(world)
    with pytest.raises(NotAllowed):
        plan(world, fw, [road], actor=world.clerk.user)
    with pytest.raises(InvalidInput) as caught:
        plan(world, fw, [road], team=[world.worker_a.user])
    assert caught.value.field == "team"
    with pytest.raises(InvalidInput):
        plan(world, fw, [])
    with pytest.raises(InvalidInput):
        plan(world, fw, [road], ends_on=dt.date(2026, 3, 1))


def test_a_sampled_plan_stores_its_seed_and_sizes_and_can_be_re_derived(world):
    fw = make_framework(world)
    for i in range(6):
        make_site(world.grid_a, kind="main_road", code=f"RD{i}")
    make_site(world.grid_b, kind="market", code="MK0")
    first = plan(world, fw, [], sample_sizes={"main_road": 2, "market": 1}, seed=99)
    again = plan(world, fw, [], sample_sizes={"main_road": 2, "market": 1}, seed=99)
    assert first.sampling_seed == 99 and first.sample_sizes == {"main_road": 2, "market": 1}
    codes = [s.site.code for s in first.sites.select_related("site")]
    assert codes == [s.site.code for s in again.sites.select_related("site")]
    assert len(codes) == 3 and "MK0" in codes
    with pytest.raises(InvalidInput) as caught:
        plan(world, fw, [], sample_sizes={"park": 1}, seed=1)
    assert caught.value.field == "sample_sizes"
