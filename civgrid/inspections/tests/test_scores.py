"""Scores of a round: per item, content, standard, site kind, unit and grid; "now" moves as
cases close; rounds compared; standards at risk by points at stake."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from civgrid.cases import actions as case_actions
from civgrid.inspections import actions, scores
from civgrid.inspections.models import Finding
from civgrid.inspections.queries import findings_for_user
from civgrid.inspections.tests.factories import make_framework, plan, site_of, two_sites
from civgrid.testing import photo_upload

D = Decimal


def answer(isite, standard, outcome, world):
    actions.record_check(isite, actor=world.inspector.user, standard=standard, outcome=outcome)


@pytest.fixture
def round1(world):
    """Road: S1 pass (2), S2 fail (3). Market: S1 fail (2), S3 pass (5)."""
    fw = make_framework(world)
    road, market = two_sites(world)
    inspection = plan(world, fw, [road, market])
    r, m = site_of(inspection, road), site_of(inspection, market)
    answer(r, fw.s1, "pass", world)
    answer(r, fw.s2, "fail", world)
    answer(m, fw.s1, "fail", world)
    answer(m, fw.s3, "pass", world)
    return world, fw, inspection, road, market


def by(lines):
    return {
        line.label.split(" ")[0]: (line.achieved_raw, line.possible, line.percent_raw)
        for line in lines
    }


def close(case, world, clerk):
    case.refresh_from_db()
    case_actions.accept(case, actor=clerk.user, expected_version=case.version)
    case.refresh_from_db()
    case_actions.submit(
        case,
        actor=clerk.user,
        expected_version=case.version,
        note="已整改",
        photos=[photo_upload()],
    )
    case.refresh_from_db()
    case_actions.verify_pass(case, actor=world.inspector.user, expected_version=case.version)


def test_the_round_scores_points_achieved_over_possible(round1):
    world, fw, inspection, _road, _market = round1
    checks = scores.checks_of(inspection)
    whole = scores.total(checks)
    assert (whole.achieved_raw, whole.possible, whole.percent_raw) == (D(7), D(12), D("58.3"))
    assert whole.failed == 2
    assert by(scores.breakdown(checks, "item")) == {
        "01": (D(2), D(7), D("28.6")),
        "02": (D(5), D(5), D("100.0")),
    }
    assert by(scores.breakdown(checks, "content")) == {
        "01.01": (D(2), D(4), D("50.0")),
        "01.02": (D(0), D(3), D("0.0")),
        "02.01": (D(5), D(5), D("100.0")),
    }
    assert by(scores.breakdown(checks, "standard")) == {
        "S1": (D(2), D(4), D("50.0")),
        "S2": (D(0), D(3), D("0.0")),
        "S3": (D(5), D(5), D("100.0")),
    }
    units = {
        line.label: (line.achieved_raw, line.possible) for line in scores.breakdown(checks, "unit")
    }
    assert units == {"城市管理局": (D(2), D(4)), "市场监督管理局": (D(5), D(8))}
    kinds = [(line.key, line.percent_raw) for line in scores.breakdown(checks, "site_kind")]
    assert kinds == [("main_road", D("40.0")), ("market", D("71.4"))]
    grids = [
        (line.key, line.achieved_raw, line.possible) for line in scores.breakdown(checks, "grid")
    ]
    assert grids == [(world.grid_a.pk, D(2), D(5)), (world.grid_b.pk, D(5), D(7))]


def test_not_applicable_checks_count_for_nothing(world):
    fw = make_framework(world)
    road, _market = two_sites(world)
    inspection = plan(world, fw, [road])
    answer(site_of(inspection, road), fw.s1, "pass", world)
    answer(site_of(inspection, road), fw.s2, "not_applicable", world)
    whole = scores.total(scores.checks_of(inspection))
    assert (whole.achieved_raw, whole.possible, whole.checks) == (D(2), D(2), 1)


def test_the_score_now_recovers_when_a_case_closes_and_the_raw_score_does_not(round1):
    world, fw, inspection, road, _market = round1
    before = scores.total(scores.checks_of(inspection))
    assert before.achieved_now == D(7)
    case = Finding.objects.get(standard=fw.s2).case
    close(case, world, world.other_clerk)
    after = scores.total(scores.checks_of(inspection))
    assert (after.achieved_raw, after.percent_raw) == (D(7), D("58.3"))
    assert (after.achieved_now, after.percent_now) == (D(10), D("83.3"))
    assert after.recovered == 1
    s2 = {line.key: line for line in scores.breakdown(scores.checks_of(inspection), "standard")}
    assert s2[fw.s2.pk].achieved_now == D(3) and s2[fw.s2.pk].achieved_raw == D(0)


def test_a_fixed_on_the_spot_failure_counts_as_failed_at_inspection_and_recovered_now(world):
    fw = make_framework(world)
    road, _market = two_sites(world)
    inspection = plan(world, fw, [road])
    isite = site_of(inspection, road)
    actions.record_check(
        isite,
        actor=world.inspector.user,
        standard=fw.s1,
        outcome="fail",
        fixed_on_spot=True,
        fix_note="当场整改",
    )
    answer(isite, fw.s2, "pass", world)
    whole = scores.total(scores.checks_of(inspection))
    assert (whole.achieved_raw, whole.achieved_now, whole.possible) == (D(3), D(5), D(5))


def test_two_rounds_compare_side_by_side(round1):
    world, fw, first, road, market = round1
    second = plan(world, fw, [road, market], name="第二轮")
    for isite, standard in [(road, fw.s1), (road, fw.s2), (market, fw.s1), (market, fw.s3)]:
        answer(site_of(second, isite), standard, "pass", world)
    rows = scores.compare(scores.checks_of(first), scores.checks_of(second), "item")
    assert [(r.label.split(" ")[0], r.a.percent_raw, r.b.percent_raw, r.delta) for r in rows] == [
        ("01", D("28.6"), D("100.0"), D("71.4")),
        ("02", D("100.0"), D("100.0"), D("0.0")),
    ]
    units = scores.compare(scores.checks_of(first), scores.checks_of(second), "unit")
    assert [r.delta for r in units] == [D("50.0"), D("37.5")]


def test_standards_at_risk_are_ordered_by_points_at_stake_with_overdue_apart(round1):
    world, fw, _inspection, _road, _market = round1
    now = timezone.now()
    risks = scores.at_risk(Finding.objects.all(), now)
    assert [(r.standard.code, r.open, r.points_at_stake, r.overdue) for r in risks] == [
        ("S2", 1, D(3), 0),
        ("S1", 1, D(2), 0),
    ]
    later = now + dt.timedelta(days=30)  # past both deadlines (5 working days)
    risks = scores.at_risk(Finding.objects.all(), later)
    assert [(r.standard.code, r.overdue, r.points_overdue) for r in risks] == [
        ("S2", 1, D(3)),
        ("S1", 1, D(2)),
    ]
    with time_machine.travel(now + dt.timedelta(hours=1)):
        close(Finding.objects.get(standard=fw.s2).case, world, world.other_clerk)
    assert [r.standard.code for r in scores.at_risk(Finding.objects.all(), later)] == ["S1"]


def test_a_unit_clerk_sees_only_the_findings_of_their_unit(round1):
    world, fw, _inspection, _road, _market = round1
    assert [f.standard for f in findings_for_user(world.other_clerk.user)] == [fw.s2]
    assert [f.standard for f in findings_for_user(world.clerk.user)] == [fw.s1]
    assert findings_for_user(world.resident.user).count() == 0
    assert findings_for_user(world.worker_a.user).count() == 0
    assert findings_for_user(world.office.user).count() == 2


def test_a_leader_scores_only_the_sites_in_their_grids(round1):
    world, _fw, inspection, _road, _market = round1
    only_a = scores.total(scores.checks_of(inspection, grid_ids={world.grid_a.pk}))
    assert (only_a.achieved_raw, only_a.possible) == (D(2), D(5))
