"""Households and visits over the API: scope, idempotent visits, problems raised as cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from civgrid.cases.models import Case, Source
from civgrid.visits.models import Visit
from civgrid.visits.tests.factories import local, make_household, make_plan, make_visit


def client_for(person):
    client = APIClient()
    client.force_authenticate(person.user)
    return client


@pytest.fixture
def homes(world):
    return (
        make_household(world.grid_a, code="A1", aged_80_plus=True, phone="13912345678"),
        make_household(world.grid_b, code="B1", aged_80_plus=True),
    )


def test_a_worker_lists_only_the_households_of_their_grids(world, homes):
    data = client_for(world.worker_a).get(reverse("api:household-list")).json()
    assert [h["code"] for h in data["results"]] == ["A1"]
    assert data["results"][0]["phone"] == "13912345678"


def test_another_grids_household_is_404_for_a_worker(world, homes):
    a1, _b1 = homes
    response = client_for(world.worker_b).get(reverse("api:household-detail", args=[a1.pk]))
    assert response.status_code == 404


def test_a_leader_sees_the_phone_masked(world, homes):
    data = client_for(world.leader).get(reverse("api:household-list")).json()
    assert [h["phone"] for h in data["results"]][0] == "139****5678"


def test_clerks_and_residents_see_no_households(world, homes):
    for person in (world.clerk, world.resident):
        assert client_for(person).get(reverse("api:household-list")).json()["count"] == 0


def test_a_visit_sent_three_times_is_recorded_once_with_one_case(world, homes):
    a1, _b1 = homes
    api = client_for(world.worker_a)
    body = {
        "household": "A1",
        "notes": "老人身体良好",
        "problem_category": world.category.pk,
        "problem_description": "楼道堆放杂物",
    }
    answers = [
        api.post(reverse("api:visit-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="v-1")
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 200, 200]
    visit = Visit.objects.get()
    case = Case.objects.get()
    assert list(visit.cases.all()) == [case]
    assert (case.source, case.grid, case.address) == (Source.HOME_VISIT, world.grid_a, a1.address)
    assert answers[2].json()["cases"] == [{"id": case.pk, "tracking_code": case.tracking_code}]


def test_a_visit_to_another_grids_household_is_refused_and_writes_nothing(world, homes):
    response = client_for(world.worker_b).post(
        reverse("api:visit-list"), {"household": "A1"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "household"
    assert Visit.objects.count() == 0


def test_a_bad_problem_refuses_the_visit_too(world, homes):
    response = client_for(world.worker_a).post(
        reverse("api:visit-list"),
        {"household": "A1", "problem_category": world.category.pk, "problem_description": ""},
        format="json",
    )
    assert response.status_code == 400
    assert (Visit.objects.count(), Case.objects.count()) == (0, 0)


def test_the_due_list_over_the_api_is_scoped_and_crosses_the_quarter(world, homes, time_machine):
    time_machine.move_to(dt.datetime(2024, 10, 2, 2, 0, tzinfo=dt.UTC))
    a1, b1 = homes
    plan = make_plan()
    make_visit(a1, world.worker_a, local(2024, 9, 30, 23, 30))
    url = reverse("api:visit-plan-due", args=[plan.pk])
    office = client_for(world.office).get(url, {"on": "2024-09-30"}).json()
    assert ([h["code"] for h in office["due"]], office["period"]["label"]) == (["B1"], "2024 Q3")
    q4 = client_for(world.office).get(url).json()  # today: 2 October
    assert [h["code"] for h in q4["due"]] == ["A1", "B1"]
    assert [h["code"] for h in q4["missed"]] == ["B1"]
    mine = client_for(world.worker_a).get(url).json()
    assert ([h["code"] for h in mine["due"]], mine["missed"]) == (["A1"], [])
