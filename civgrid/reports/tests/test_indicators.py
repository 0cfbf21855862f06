"""Each indicator on the hand-computed ledger of tests/ledger.py (March 2024, Beijing time)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from civgrid.cases.models import Case, CaseEvent
from civgrid.inspections.actions import record_check
from civgrid.inspections.models import Outcome
from civgrid.inspections.tests.factories import make_framework, plan, site_of, two_sites
from civgrid.reports import indicators as ind
from civgrid.reports.indicators import IndicatorError, Period
from civgrid.reports.tests.ledger import NOW, at, build_ledger
from civgrid.testing import report

MARCH = Period.month(dt.date(2024, 3, 1))
APRIL = Period.month(dt.date(2024, 4, 1))


@pytest.fixture
def ledger(world):
    return build_ledger(world)


def codes(cases) -> set[str]:
    return {c.tracking_code for c in cases}


def test_march_figures_match_the_hand_count(ledger):
    row = ind.totals(MARCH, now=NOW)
    # c2 c4 c5 c6 c7 c8 c9 c10 c11 c12 c13 c14 c15 (c1 was 02-29 23:30, c3 04-01 00:10)
    assert row.reported == 13
    # c1 (reported in February, registered 03-01) c4 c5 c6 c7 c10 c13 c14 c15;
    # c8 c9 c12 were rejected or merged before registering, c11 fixed on the spot
    assert row.registered == 9
    # c1 c4 c5 c6 c10 c11 c15 (c14 closed in April; c8 c12 rejected, c9 duplicate)
    assert row.closed == 7
    # 13 less the rejected c8 c12 and the duplicate c9
    assert row.valid_reported == 10
    # of those ten: c4 c5 c6 c10 c11 c15 closed by 03-31 24:00 (c2 c7 c13 c14 still open)
    assert row.closed_of_reported == 6
    assert row.closure_rate == 60.0
    # c5 alone was submitted after its deadline; c6 was submitted in time and verified late
    assert (row.on_time, row.late) == (6, 1)
    assert row.on_time_rate == 85.71  # 6/7
    assert row.reworked == 1  # c4
    assert row.rework_rate == 14.29  # 1/7
    # open at 03-31 24:00: c2 c7 c13 c14; overdue: c7 (due 03-15), not c13 (due 04-03)
    assert (row.open, row.overdue) == (4, 1)
    assert row.fixed_on_spot == 1  # c11
    assert row.fixed_on_spot_rate == 14.29
    # resident cases finished in March: c10 c15 (replied), c12 (rejected, not replied)
    assert (row.replies_due, row.replied) == (3, 2)
    assert row.reply_rate == 66.67
    # ratings 5 (c10) and 3 (c15)
    assert (row.rated, row.satisfied) == (2, 1)
    assert row.satisfied_rate == 50.0
    assert row.satisfaction_avg == 4.0
    # hours to close: c1 106.5, c4 120, c5 102, c6 72, c10 30, c11 0, c15 78 → 508.5 / 7
    assert row.avg_hours == 72.64
    # nearest rank ceil(0.9 × 7) = 7th of 7: the longest, 120
    assert row.p90_hours == 120.0


def test_on_time_is_judged_at_submission_not_at_verification(ledger):
    c6 = ledger.c6
    verified = CaseEvent.objects.get(case=c6, action="verify_pass")
    submitted = CaseEvent.objects.get(case=c6, action="submit")
    assert verified.data["on_time"] is False and submitted.data["overdue"] is False
    assert c6 in ind.drilldown(MARCH, "on_time", now=NOW)
    assert codes(ind.drilldown(MARCH, "late", now=NOW)) == {ledger.c5.tracking_code}


def test_the_current_period_takes_its_snapshot_now(ledger):
    row = ind.totals(APRIL, now=NOW)
    assert row.reported == 1  # c3
    assert row.closed == 1  # c14
    # open at 04-10 12:00: c2 c3 c7 c13; overdue: c7 and now c13 (due 04-03)
    assert (row.open, row.overdue) == (4, 2)
    assert codes(ind.drilldown(APRIL, "overdue", now=NOW)) == codes([ledger.c7, ledger.c13])
    assert list(ind.overdue_list(NOW)) == [ledger.c7, ledger.c13]  # longest overdue first


def test_a_case_counts_by_local_day_on_both_sides_of_midnight(ledger):
    last_day = ind.totals(Period.day(dt.date(2024, 3, 31)), now=NOW)
    first_day = ind.totals(Period.day(dt.date(2024, 4, 1)), now=NOW)
    assert last_day.reported == 1 and first_day.reported == 1
    assert list(ind.drilldown(Period.day(dt.date(2024, 3, 31)), "reported", now=NOW)) == [ledger.c2]
    february = ind.totals(MARCH.previous(), now=NOW)
    assert MARCH.previous() == Period.month(dt.date(2024, 2, 1))
    assert (february.reported, february.open, february.closed) == (1, 1, 0)  # c1


def test_a_case_is_counted_once_however_often_it_is_reworked(ledger):
    week = ind.trend((dt.date(2024, 3, 1), dt.date(2024, 3, 31), "week"), "closed", now=NOW)
    # c1 03-05, c4 03-07, c5 03-08 | c6 03-14 | c10 03-19 c11 03-20 | c15 03-25
    assert [v for _p, v in week] == [0, 3, 1, 2, 1]
    assert sum(v for _p, v in week) == ind.totals(MARCH, now=NOW).closed


def test_grouped_figures_add_up_and_match_the_hand_count(ledger, world):
    by_unit = {r.group: r for r in ind.compute(MARCH, group_by="unit", now=NOW)}
    assert set(by_unit) == {world.unit.pk, world.other_unit.pk, None}
    cgj = by_unit[world.unit.pk]
    # c4 c5 c6 c7 c10 c14 c15 reported; c1 too is registered and closed with it
    assert (cgj.reported, cgj.registered, cgj.closed) == (7, 8, 6)
    assert (cgj.closed_of_reported, cgj.closure_rate) == (5, 71.43)
    assert (cgj.open, cgj.overdue, cgj.late) == (2, 1, 1)
    scj = by_unit[world.other_unit.pk]
    assert (scj.reported, scj.open, scj.overdue, scj.closure_rate) == (1, 1, 0, 0.0)
    assert scj.on_time_rate is None  # nothing closed: no rate, not 0 %
    nobody = by_unit[None]  # c2 c8 c9 c11 c12 never reached a unit
    assert (nobody.reported, nobody.closed, nobody.fixed_on_spot) == (5, 1, 1)
    assert sum(r.reported for r in by_unit.values()) == 13

    by_grid = {r.group: r.reported for r in ind.compute(MARCH, group_by="grid", now=NOW)}
    assert by_grid == {world.grid_a.pk: 12, world.grid_b.pk: 1}
    by_area = ind.compute(MARCH, group_by="area", now=NOW)
    assert [(r.group, r.label, r.reported) for r in by_area] == [(world.area.pk, "第一片区", 13)]
    by_source = {r.group: r.reported for r in ind.compute(MARCH, group_by="source", now=NOW)}
    assert by_source == {"patrol": 9, "resident": 3, "hotline": 1}
    by_category = ind.compute(MARCH, group_by="category", now=NOW)
    assert [(r.label, r.closed) for r in by_category] == [("占道经营", 7)]


@pytest.mark.parametrize(
    ("indicator", "group_by", "group", "expected"),
    [
        ("reported", None, None, "c2 c4 c5 c6 c7 c8 c9 c10 c11 c12 c13 c14 c15"),
        ("registered", None, None, "c1 c4 c5 c6 c7 c10 c13 c14 c15"),
        ("closed", None, None, "c1 c4 c5 c6 c10 c11 c15"),
        ("closure_rate", None, None, "c4 c5 c6 c10 c11 c15"),
        ("on_time_rate", None, None, "c1 c4 c6 c10 c11 c15"),
        ("rework_rate", None, None, "c4"),
        ("open", None, None, "c2 c7 c13 c14"),
        ("overdue", None, None, "c7"),
        ("fixed_on_spot_rate", None, None, "c11"),
        ("replies_due", None, None, "c10 c12 c15"),
        ("reply_rate", None, None, "c10 c15"),
        ("satisfied_rate", None, None, "c10"),
        ("satisfaction_avg", None, None, "c10 c15"),
        ("p90_hours", None, None, "c1 c4 c5 c6 c10 c11 c15"),
        ("reported", "unit", "w:unit", "c4 c5 c6 c7 c10 c14 c15"),
        ("reported", "unit", None, "c2 c8 c9 c11 c12"),
        ("open", "unit", "w:other_unit", "c13"),
        ("closed", "grid", "w:grid_a", "c1 c4 c5 c6 c10 c11 c15"),
        ("reported", "source", "resident", "c10 c12 c15"),
        ("valid_reported", "area", "w:area", "c2 c4 c5 c6 c7 c10 c11 c13 c14 c15"),
    ],
)
def test_a_drilldown_lists_exactly_the_cases_counted(
    ledger, world, indicator, group_by, group, expected
):
    key = getattr(world, group[2:]).pk if group and group.startswith("w:") else group
    listed = ind.drilldown(MARCH, indicator, group_by=group_by, group=key, now=NOW)
    assert codes(listed) == {getattr(ledger, name).tracking_code for name in expected.split()}
    spec = ind.INDICATORS[indicator]
    count_key = indicator if spec.kind == "count" else (spec.numerator or spec.denominator)
    rows = ind.compute(MARCH, group_by=group_by, now=NOW)
    row = next(r for r in rows if group_by is None or r.group == key)
    assert listed.count() == row.counts[count_key]


def test_the_slowest_list_puts_the_longest_first(ledger):
    slow = list(ind.slowest(MARCH, now=NOW, limit=3))
    assert slow == [ledger.c4, ledger.c1, ledger.c5]  # 120 h, 106.5 h, 102 h


def test_rankings_share_places_on_ties_and_leave_undefined_rates_last(ledger, world):
    ranked = ind.rank(MARCH, "unit", "closure_rate", now=NOW)
    assert [(r.rank, r.row.group, r.value) for r in ranked] == [
        (1, world.unit.pk, 71.43),
        (2, world.other_unit.pk, 0.0),
    ]
    overdue = ind.rank(MARCH, "unit", "overdue", now=NOW)  # fewer is better
    assert [(r.rank, r.row.group) for r in overdue] == [
        (1, world.other_unit.pk),
        (2, world.unit.pk),
    ]
    rework = ind.rank(MARCH, "unit", "rework_rate", now=NOW)
    assert [(r.rank, r.row.group) for r in rework] == [
        (1, world.unit.pk),
        (None, world.other_unit.pk),
    ]
    # April: each unit has one overdue case (c7, c13): they share the first place
    april = ind.rank(APRIL, "unit", "overdue", now=NOW)
    assert [(r.rank, r.value) for r in april] == [(1, 1), (1, 1)]
    assert [r.row.label for r in april] == sorted(r.row.label for r in april)


@pytest.mark.parametrize("by", ["unit", "grid", "area", "category"])
@pytest.mark.parametrize("period", [MARCH, APRIL], ids=["march", "april"])
def test_a_ranking_has_the_groups_and_values_of_the_full_computation(ledger, by, period):
    """rank computes only its indicator; its groups and values must be the dashboard's."""
    full = {row.group: row for row in ind.compute(period, group_by=by, now=NOW) if row.group}
    for key, spec in ind.INDICATORS.items():
        if spec.better is None:
            continue
        ranked = ind.rank(period, by, key, now=NOW)
        assert {r.row.group: r.value for r in ranked} == {
            group: row.value(key) for group, row in full.items()
        }, key


def test_p90_takes_the_nearest_rank_in_every_group(world):
    from civgrid.reports.tests.ledger import accept, assign, register, submit, verify
    from civgrid.testing import report

    # Twelve cases closed 1..12 hours after being reported: 1-5 by one unit, 6-12 by the other.
    for hours in range(1, 13):
        with at("2024-05-06 08:00"):
            case = report(world)
            register(world, case)
            assign(world, case, "2024-05-20", unit=world.unit if hours <= 5 else world.other_unit)
            accept(world, case)
            submit(world, case)
        with at(f"2024-05-06 {8 + hours:02d}:00"):
            verify(world, case)
    may = Period.month(dt.date(2024, 5, 1))
    now = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    # all twelve: rank ceil(10.8) = 11 → 11 h; the mean is 6.5 h
    total = ind.totals(may, now=now)
    assert (total.p90_hours, total.avg_hours) == (11.0, 6.5)
    by_unit = {r.group: r.p90_hours for r in ind.compute(may, group_by="unit", now=now)}
    # 1..5: ceil(4.5) = 5th → 5 h; 6..12: ceil(6.3) = 7th → 12 h
    assert by_unit == {world.unit.pk: 5.0, world.other_unit.pk: 12.0}


def test_a_user_sees_figures_for_their_scope_only(ledger, world):
    assert ind.totals(MARCH, user=world.clerk.user, now=NOW).reported == 7  # CGJ's cases
    assert ind.totals(MARCH, user=world.other_clerk.user, now=NOW).reported == 1  # c13
    assert ind.totals(MARCH, user=world.leader.user, now=NOW).reported == 13  # the whole 片区
    assert ind.totals(MARCH, user=world.worker_b.user, now=NOW).reported == 1  # grid B: c13
    listed = ind.drilldown(MARCH, "reported", user=world.other_clerk.user, now=NOW)
    assert list(listed) == [ledger.c13]


def test_filters_narrow_the_cases(ledger, world):
    assert ind.totals(MARCH, filters={"grid": world.grid_b}, now=NOW).reported == 1
    assert ind.totals(MARCH, filters={"source": ["resident", "hotline"]}, now=NOW).reported == 4
    assert ind.totals(MARCH, filters={"region": world.area}, now=NOW).reported == 13


def test_unknown_names_are_refused_with_a_clear_error(db):
    with pytest.raises(IndicatorError, match="grouping"):
        ind.compute(MARCH, group_by="colour")
    with pytest.raises(IndicatorError, match="indicator"):
        ind.drilldown(MARCH, "happiness")
    with pytest.raises(IndicatorError):
        ind.rank(MARCH, "unit", "reported")  # a volume, not better or worse


def test_grouping_by_standard_counts_inspection_findings(world):
    """Cases filed by failed checks group under their standard; other cases have none."""
    fw = make_framework(world)
    road, market = two_sites(world)
    with time_machine.travel(dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        inspection = plan(world, fw, [road, market])
        inspector = world.inspector.user
        record_check(
            site_of(inspection, road), actor=inspector, standard=fw.s1, outcome=Outcome.FAIL
        )
        record_check(
            site_of(inspection, road), actor=inspector, standard=fw.s2, outcome=Outcome.FAIL
        )
        record_check(
            site_of(inspection, market), actor=inspector, standard=fw.s1, outcome=Outcome.FAIL
        )
        record_check(
            site_of(inspection, market), actor=inspector, standard=fw.s3, outcome=Outcome.PASS
        )
        report(world)  # a grid worker's report: no standard
    march = Period.month(dt.date(2026, 3, 1))
    rows = {row.group: row for row in ind.compute(march, group_by="standard")}
    assert {key: row.reported for key, row in rows.items()} == {fw.s1.pk: 2, fw.s2.pk: 1, None: 1}
    assert codes(ind.drilldown(march, "reported", group_by="standard", group=fw.s1.pk)) == {
        c.tracking_code for c in Case.objects.filter(finding__standard=fw.s1)
    }


def test_a_trend_by_day_agrees_with_each_day_computed_alone(ledger):
    days = (dt.date(2024, 3, 1), dt.date(2024, 4, 2), "day")
    series, values = ind.trends(days, ["reported", "closed", "on_time_rate", "open"], now=NOW)
    for i, period in enumerate(series):
        row = ind.totals(period, now=NOW)
        assert values["reported"][i] == row.reported, period
        assert values["closed"][i] == row.closed, period
        assert values["on_time_rate"][i] == row.on_time_rate, period
        assert values["open"][i] == row.open, period
    assert sum(values["reported"]) == 14  # March's 13 and c3 on 04-01
    assert values["open"][-1] == 4  # 04-02 at midnight: c2 c3 c7 c13
