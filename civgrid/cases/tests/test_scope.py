import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from civgrid.cases import actions
from civgrid.cases.queries import cases_for_user, get_case_for_user
from civgrid.testing import drive, make_region, report, square


@pytest.fixture
def two_cases(world):
    in_a = report(world)
    in_b = report(world, by=world.worker_b, longitude=114.615, latitude=33.605)
    return in_a, in_b


def visible(person):
    return set(cases_for_user(person.user).values_list("pk", flat=True))


def test_office_and_inspectors_see_every_case(world, two_cases):
    ids = {c.pk for c in two_cases}
    assert visible(world.office) == ids
    assert visible(world.inspector) == ids


def test_a_grid_worker_sees_only_the_cases_of_their_grids(world, two_cases):
    in_a, in_b = two_cases
    assert visible(world.worker_a) == {in_a.pk}
    assert visible(world.worker_b) == {in_b.pk}


def test_another_grids_case_answers_404_by_id(world, two_cases):
    in_a, _ = two_cases
    with pytest.raises(Http404):
        get_case_for_user(world.worker_b.user, in_a.pk)


def test_a_leader_sees_the_grids_under_the_area_they_contract(world, two_cases):
    elsewhere = make_region(code="X-AREA", name="第二片区", level=3, parent=world.street)
    grid_c = make_region(
        code="X-GRID", name="交通路网格", parent=elsewhere, geometry=square(114.62, 33.60)
    )
    in_c = report(world, by=world.office, grid=grid_c, longitude=None, latitude=None)
    assert visible(world.leader) == {c.pk for c in two_cases}
    assert in_c.pk not in visible(world.leader)


def test_a_unit_sees_the_cases_assigned_to_it_and_loses_them_when_returned(world, two_cases):
    in_a, _ = two_cases
    assert visible(world.clerk) == set()
    in_a = drive(in_a, world, "register", "assign")
    assert visible(world.clerk) == {in_a.pk}
    assert visible(world.other_clerk) == set()
    actions.return_case(
        in_a, actor=world.clerk.user, expected_version=in_a.version, reason="非本单位职责"
    )
    assert visible(world.clerk) == set()


def test_a_resident_sees_only_what_they_reported(world, two_cases):
    own = report(world, by=world.resident)
    assert visible(world.resident) == {own.pk}


def test_a_grid_worker_keeps_seeing_what_they_reported_in_another_grid(world):
    case = report(world, longitude=114.615, latitude=33.605)  # worker A, in grid B
    assert case.grid == world.grid_b
    assert case.pk in visible(world.worker_a)


def test_anonymous_sees_nothing(world, two_cases):
    assert not cases_for_user(AnonymousUser()).exists()
