"""The register (志愿者登记) and who sees what: region scope, roles, masked numbers."""

import pytest
from django.http import Http404

from civgrid.cases.errors import InvalidInput, NotAllowed
from civgrid.volunteers import actions, attendance, queries
from civgrid.volunteers.models import Volunteer
from civgrid.volunteers.tests.factories import (
    START,
    id_number,
    make_activity,
    make_service_category,
    make_volunteer,
)

pytestmark = pytest.mark.django_db


def test_staff_register_volunteers_as_active_and_the_public_as_pending(world):
    by_office = make_volunteer(world.grid_a, by=world.office.user)
    assert (
        by_office.status == Volunteer.Status.ACTIVE and by_office.approved_by == world.office.user
    )
    himself = actions.register_volunteer(
        actor=None,
        name="王建国",
        phone="13900001111",
        id_number=id_number(901),
        region=world.grid_b,
    )
    assert himself.status == Volunteer.Status.PENDING and himself.self_registered


def test_an_invalid_or_registered_id_number_is_refused(world):
    bad = id_number(5)[:-1] + ("0" if id_number(5)[-1] != "0" else "1")
    with pytest.raises(InvalidInput, match="Not a valid ID number"):
        make_volunteer(world.grid_a, by=world.office.user, id_number=bad)
    make_volunteer(world.grid_a, by=world.office.user, id_number=id_number(6))
    with pytest.raises(InvalidInput, match="already registered"):
        make_volunteer(world.grid_a, by=world.office.user, id_number=id_number(6).lower())


def test_the_grid_worker_approves_registrations_in_their_grid_only(world):
    pending = actions.register_volunteer(
        actor=None, name="刘芳", phone="13900002222", id_number=id_number(902), region=world.grid_a
    )
    with pytest.raises(NotAllowed):
        actions.decide_registration(actor=world.worker_b.user, volunteer=pending, approve=True)
    done = actions.decide_registration(actor=world.worker_a.user, volunteer=pending, approve=True)
    assert done.status == Volunteer.Status.ACTIVE and done.approved_by == world.worker_a.user
    with pytest.raises(InvalidInput, match="already been decided"):
        actions.decide_registration(actor=world.worker_a.user, volunteer=pending, approve=False)


def test_a_pending_volunteer_cannot_sign_up(world):
    activity = make_activity(world.grid_a, by=world.office.user)
    vol = make_volunteer(world.grid_a, by=world.office.user)
    Volunteer.objects.filter(pk=vol.pk).update(status=Volunteer.Status.PENDING)
    vol.refresh_from_db()
    with pytest.raises(NotAllowed):
        actions.sign_up(actor=vol.user, activity=activity, now=START)


def test_district_two_cannot_see_or_act_on_district_one_and_the_city_sees_both(city):
    vol1 = make_volunteer(city.grid_a, by=city.office.user)
    vol2 = make_volunteer(city.grid2, by=city.office2.user)
    activity1 = make_activity(city.grid_a, by=city.office.user)
    with pytest.raises(NotAllowed):
        make_volunteer(city.grid_a, by=city.office2.user)
    with pytest.raises(NotAllowed):
        make_activity(city.grid_a, by=city.office2.user)
    with pytest.raises(Http404):
        queries.get_volunteer_for_user(city.office2.user, vol1.pk)
    with pytest.raises(Http404):
        queries.get_activity_for_user(city.office2.user, activity1.pk)
    assert list(queries.volunteers_for_user(city.office2.user)) == [vol2]
    assert set(queries.volunteers_for_user(city.city_office.user)) == {vol1, vol2}
    assert queries.get_activity_for_user(city.city_office.user, activity1.pk) == activity1
    assert not queries.may_manage_activity(city.office2.user, activity1)
    with pytest.raises(NotAllowed):
        attendance.correct_hours(
            actor=city.office2.user, volunteer=vol1, activity=activity1, hours="1", reason="x"
        )


def test_a_volunteer_sees_their_districts_activities_and_only_their_own_record(city):
    vol1 = make_volunteer(city.grid_a, by=city.office.user)
    other = make_volunteer(city.grid_a, by=city.office.user)
    here = make_activity(city.grid_a, by=city.office.user)
    there = make_activity(city.grid2, by=city.office2.user)
    assert list(queries.activities_for_user(vol1.user)) == [here]
    assert list(queries.volunteers_for_user(vol1.user)) == [vol1]
    with pytest.raises(Http404):
        queries.get_volunteer_for_user(vol1.user, other.pk)
    with pytest.raises(Http404):
        queries.get_activity_for_user(vol1.user, there.pk)


def test_a_unit_clerk_publishes_for_their_unit_and_sees_only_its_activities(city):
    mine, _ = actions.publish_activity(
        actor=city.clerk.user,
        title="河道清理",
        category=make_service_category(),
        region=city.grid_a,
        place="沙颍河岸",
        starts_at=START,
        ends_at=START.replace(hour=4),
        places=20,
        now=START.replace(day=1),
    )
    assert mine.unit == city.unit
    make_activity(city.grid_a, by=city.office.user)
    assert list(queries.activities_for_user(city.clerk.user)) == [mine]
    with pytest.raises(NotAllowed):
        make_activity(city.grid2, by=city.clerk.user)


def test_a_team_leader_publishes_for_the_team_and_confirms_its_attendance(world):
    leader = make_volunteer(world.grid_a, by=world.office.user)
    team = actions.create_team(
        actor=world.office.user,
        name="七一路巾帼志愿服务队",
        category=make_service_category(),
        region=world.street,
        leader=leader,
    )
    activity = make_activity(world.grid_b, by=leader.user, team=team)
    assert queries.may_manage_activity(leader.user, activity)
    assert not queries.may_manage_activity(world.worker_a.user, activity)


def test_only_the_office_sees_full_numbers(world):
    vol = make_volunteer(world.grid_a, by=world.office.user, phone="13812345678")
    assert vol.masked_phone() == "138****5678"
    assert vol.masked_id_number() == vol.id_number[:4] + "*" * 10 + vol.id_number[-4:]
    assert queries.may_see_full_contact(world.office.user)
    assert not queries.may_see_full_contact(world.worker_a.user)
    assert not queries.may_see_full_contact(vol.user)


def test_text_longer_than_its_column_is_refused_not_cut(world):
    with pytest.raises(InvalidInput, match="At most 200") as err:
        make_activity(world.grid_a, by=world.office.user, place="河" * 201)
    assert err.value.field == "place"
    with pytest.raises(InvalidInput, match="At most 200"):
        make_volunteer(world.grid_a, by=world.office.user, skills="x" * 201)
