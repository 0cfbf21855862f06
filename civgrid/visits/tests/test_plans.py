"""Visit plans: calendar periods in Asia/Shanghai, due and missed lists, coverage."""

from __future__ import annotations

import datetime as dt

import pytest

from civgrid.org.models import Role
from civgrid.testing import make_person
from civgrid.visits import plans
from civgrid.visits.models import VisitPlan
from civgrid.visits.tests.factories import local, make_household, make_plan, make_visit

Q = VisitPlan.Frequency.QUARTERLY


@pytest.mark.parametrize(
    ("frequency", "day", "start", "end"),
    [
        ("quarterly", dt.date(2024, 9, 30), dt.date(2024, 7, 1), dt.date(2024, 10, 1)),
        ("quarterly", dt.date(2024, 10, 1), dt.date(2024, 10, 1), dt.date(2025, 1, 1)),
        ("quarterly", dt.date(2024, 12, 31), dt.date(2024, 10, 1), dt.date(2025, 1, 1)),
        ("monthly", dt.date(2024, 2, 29), dt.date(2024, 2, 1), dt.date(2024, 3, 1)),
        ("monthly", dt.date(2024, 12, 5), dt.date(2024, 12, 1), dt.date(2025, 1, 1)),
        ("half_yearly", dt.date(2024, 7, 1), dt.date(2024, 7, 1), dt.date(2025, 1, 1)),
        ("half_yearly", dt.date(2024, 6, 30), dt.date(2024, 1, 1), dt.date(2024, 7, 1)),
        ("yearly", dt.date(2024, 6, 30), dt.date(2024, 1, 1), dt.date(2025, 1, 1)),
    ],
)
def test_the_period_containing_a_day_is_its_calendar_period(frequency, day, start, end):
    period = plans.period_containing(frequency, day)
    assert (period.start, period.end) == (start, end)


def test_the_previous_quarter_of_q1_is_q4_of_the_year_before():
    previous = plans.period_containing(Q, dt.date(2025, 2, 10)).previous()
    assert (previous.start, previous.end, previous.label) == (
        dt.date(2024, 10, 1),
        dt.date(2025, 1, 1),
        "2024 Q4",
    )


def test_a_quarter_is_bounded_by_local_midnight_not_utc_midnight():
    start, end = plans.period_containing(Q, dt.date(2024, 8, 1)).bounds()
    # 1 July 00:00 in Shanghai is 30 June 16:00 UTC.
    assert start == dt.datetime(2024, 6, 30, 16, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2024, 9, 30, 16, 0, tzinfo=dt.UTC)


@pytest.fixture
def setup(world):
    old = make_household(world.grid_a, aged_80_plus=True, code="A-OLD")
    late_night = make_household(world.grid_a, aged_80_plus=True, code="A-NIGHT")
    unvisited = make_household(world.grid_a, aged_80_plus=True, code="A-NONE")
    other = make_household(world.grid_b, aged_80_plus=True, code="B-OLD")
    young = make_household(world.grid_a, code="A-YOUNG")  # not in the plan
    gone = make_household(world.grid_a, aged_80_plus=True, code="A-GONE", is_active=False)
    plan = make_plan(frequency=Q, aged_80_plus=True)
    make_visit(old, world.worker_a, local(2024, 9, 28, 10, 0))
    make_visit(late_night, world.worker_a, local(2024, 9, 30, 23, 30))  # 15:30 UTC: still Q3
    make_visit(young, world.worker_a, local(2024, 9, 1, 9, 0))
    return plan, old, late_night, unvisited, other, gone


def codes(ids):
    from civgrid.visits.models import Household

    return sorted(Household.objects.filter(pk__in=ids).values_list("code", flat=True))


def test_visits_on_28_and_at_23_30_on_30_september_count_for_q3(setup):
    plan, *_ = setup
    assert codes(plans.due(plan, dt.date(2024, 9, 30))) == ["A-NONE", "B-OLD"]


def test_on_1_october_everyone_is_due_again_and_q3_unvisited_are_missed(setup):
    plan, *_ = setup
    today = dt.date(2024, 10, 1)
    assert codes(plans.due(plan, today)) == ["A-NIGHT", "A-NONE", "A-OLD", "B-OLD"]
    assert codes(plans.missed(plan, today)) == ["A-NONE", "B-OLD"]


def test_a_visit_at_00_10_on_1_october_counts_for_q4_not_q3(setup, world):
    plan, old, late, unvisited, other, gone = setup
    make_visit(unvisited, world.worker_a, local(2024, 10, 1, 0, 10))
    assert codes(plans.missed(plan, dt.date(2024, 10, 2))) == ["A-NONE", "B-OLD"]
    assert codes(plans.due(plan, dt.date(2024, 10, 2))) == ["A-NIGHT", "A-OLD", "B-OLD"]


def test_due_lists_are_limited_to_the_households_given(setup, world):
    from civgrid.visits.queries import households_for_user

    plan, *_ = setup
    scope = households_for_user(world.worker_b.user)
    assert codes(plans.due(plan, dt.date(2024, 9, 30), scope)) == ["B-OLD"]


def test_nothing_is_missed_in_a_period_before_the_plan_started(setup):
    plan, *_ = setup
    plan.active_from = dt.date(2024, 10, 1)
    plan.save()
    assert plans.missed(plan, dt.date(2024, 10, 5)) == []
    assert len(plans.due(plan, dt.date(2024, 10, 5))) == 4


def test_a_household_registered_after_a_period_was_not_missed_in_it(setup, world):
    plan, *_ = setup
    make_household(world.grid_a, aged_80_plus=True, code="A-NEW", created_at=local(2024, 10, 1))
    assert "A-NEW" not in codes(plans.missed(plan, dt.date(2024, 10, 2)))
    assert "A-NEW" in codes(plans.due(plan, dt.date(2024, 10, 2)))


def test_a_plan_limited_to_a_region_covers_only_its_grids(setup, world):
    plan, *_ = setup
    plan.region = world.grid_b
    plan.save()
    assert codes(plans.due(plan, dt.date(2024, 9, 30))) == ["B-OLD"]


def test_a_plan_with_two_flags_covers_households_with_both(world):
    both = make_household(world.grid_a, aged_80_plus=True, living_alone=True)
    make_household(world.grid_a, aged_80_plus=True)
    plan = make_plan(aged_80_plus=True, living_alone=True)
    assert plans.due(plan, dt.date(2024, 5, 1)) == [both.pk]


def test_coverage_per_grid_and_per_worker_in_q3(setup, world):
    plan, *_ = setup
    second = make_person(Role.GRID_WORKER, name="网格员丙", regions=[world.area])
    status = plans.period_status(plan, plans.period_containing(Q, dt.date(2024, 9, 30)))
    by_grid, by_worker = plans.coverage(status)
    assert [(r.name, r.total, r.visited, r.percent) for r in by_grid] == [
        ("富民社区网格", 1, 0, 0.0),
        ("国槐街网格", 3, 2, 66.7),
    ]
    rows = {r.name: (r.total, r.visited, r.percent) for r in by_worker}
    # 网格员丙 answers for the whole 片区, so for both grids.
    assert rows == {"网格员乙": (1, 0, 0.0), "网格员甲": (3, 2, 66.7), second.name: (4, 2, 50.0)}


def test_coverage_in_q4_starts_at_zero(setup):
    plan, *_ = setup
    status = plans.period_status(plan, plans.period_containing(Q, dt.date(2024, 10, 1)))
    assert (status.total, status.done, status.coverage) == (4, 0, 0.0)


def test_due_plans_lists_the_active_plans_with_households_still_to_visit(setup):
    plan, *_ = setup
    make_plan(frequency=Q, aged_80_plus=True, is_active=False)
    make_plan(frequency=Q, aged_80_plus=True, active_from=dt.date(2025, 1, 1))
    (item,) = plans.due_plans(local(2024, 9, 30, 12, 0))
    assert item.plan == plan and item.period.label == "2024 Q3"
    assert codes(item.household_ids) == ["A-NONE", "B-OLD"]
