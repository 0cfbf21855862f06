"""Scope through the API: a case outside yours does not exist for you (404, never 403)."""

from __future__ import annotations

from civgrid.cases import actions
from civgrid.cases.models import Case, CaseEvent
from civgrid.cases.tests.api_support import act, api_as, detail, listed_ids
from civgrid.testing import drive, report


def test_a_worker_of_another_grid_cannot_see_the_case_by_id(world):
    case = report(world)
    response = detail(api_as(world.worker_b), case)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert detail(api_as(world.worker_a), case).status_code == 200


def test_a_worker_of_another_grid_cannot_see_the_case_by_code(world):
    case = report(world)
    assert (
        api_as(world.worker_b).get(f"/api/v1/cases/by-code/{case.tracking_code}/").status_code
        == 404
    )
    found = api_as(world.worker_a).get(f"/api/v1/cases/by-code/{case.tracking_code.lower()}/")
    assert found.status_code == 200
    assert found.json()["id"] == case.pk


def test_a_worker_of_another_grid_does_not_find_the_case_in_the_list(world):
    case_a = report(world)
    case_b = report(world, by=world.worker_b, longitude=114.615, latitude=33.605)
    assert listed_ids(api_as(world.worker_b).get("/api/v1/cases/")) == [case_b.pk]
    assert listed_ids(api_as(world.worker_a).get("/api/v1/cases/")) == [case_a.pk]


def test_a_worker_of_another_grid_cannot_act_on_the_case_and_learns_nothing(world):
    case = report(world)
    response = act(api_as(world.worker_b), case, "comment", version=1, note="看看")
    assert response.status_code == 404
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_a_unit_clerk_sees_only_the_cases_of_its_unit(world):
    ours = drive(report(world), world, "register", "assign")
    theirs = drive(report(world), world, "register")
    actions.assign(
        theirs, actor=world.office.user, expected_version=theirs.version, unit=world.other_unit
    )
    unassigned = report(world)
    assert listed_ids(api_as(world.clerk).get("/api/v1/cases/")) == [ours.pk]
    assert listed_ids(api_as(world.other_clerk).get("/api/v1/cases/")) == [theirs.pk]
    assert detail(api_as(world.clerk), theirs).status_code == 404
    assert detail(api_as(world.clerk), unassigned).status_code == 404


def test_a_resident_sees_only_what_they_reported(world):
    own = report(world, by=world.resident)
    other = report(world)
    assert listed_ids(api_as(world.resident).get("/api/v1/cases/")) == [own.pk]
    assert detail(api_as(world.resident), other).status_code == 404


def test_office_and_inspector_see_every_case(world):
    ids = {report(world).pk, report(world, by=world.worker_b, longitude=114.615).pk}
    assert set(listed_ids(api_as(world.office).get("/api/v1/cases/"))) == ids
    assert set(listed_ids(api_as(world.inspector).get("/api/v1/cases/"))) == ids


def test_the_leader_sees_the_cases_of_the_contracted_area(world):
    ids = {report(world).pk, report(world, by=world.worker_b, longitude=114.615).pk}
    assert set(listed_ids(api_as(world.leader).get("/api/v1/cases/"))) == ids


def test_the_phone_is_masked_in_lists_and_shown_to_those_handling_the_case(world):
    case = report(world, by=world.resident, reporter_phone="13812345678")
    row = api_as(world.office).get("/api/v1/cases/").json()["results"][0]
    assert row["reporter_phone"] == "138****5678"
    assert detail(api_as(world.office), case).json()["reporter_phone"] == "13812345678"
    assert detail(api_as(world.inspector), case).json()["reporter_phone"] == "13812345678"
    assert detail(api_as(world.worker_a), case).json()["reporter_phone"] == "138****5678"
    assert detail(api_as(world.leader), case).json()["reporter_phone"] == "138****5678"
    assert detail(api_as(world.resident), case).json()["reporter_phone"] == "138****5678"
    drive(case, world, "register", "assign")
    assert detail(api_as(world.clerk), case).json()["reporter_phone"] == "13812345678"
    clerk_row = api_as(world.clerk).get("/api/v1/cases/").json()["results"][0]
    assert clerk_row["reporter_phone"] == "138****5678"


def test_a_unit_returning_a_case_gets_an_answer_though_it_no_longer_sees_it(world):
    case = drive(report(world), world, "register", "assign")
    response = act(
        api_as(world.clerk), case, "return_case", version=case.version, reason="不属于本单位职责"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "returned"
    assert response.json()["available_actions"] == []
    assert detail(api_as(world.clerk), case).status_code == 404
    assert Case.objects.get(pk=case.pk).status == "returned"
