"""The reports API: indicators, rankings and drill-downs, scoped like the pages."""

from __future__ import annotations

import pytest

from civgrid.cases.tests.api_support import api_as
from civgrid.reports.tests.ledger import at, build_ledger


@pytest.fixture
def ledger(world):
    return build_ledger(world)


def test_indicators_come_per_group_with_the_previous_totals(ledger, world):
    with at("2024-04-10 12:00"):
        response = api_as(world.office).get(
            "/api/v1/reports/indicators/", {"period": "2024-03", "group_by": "unit"}
        )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["period"]["key"] == "2024-03" and body["previous"]["key"] == "2024-02"
    rows = {r["group"]: r for r in body["rows"]}
    assert rows[world.unit.pk]["closure_rate"] == 71.43
    assert rows[None]["reported"] == 5
    assert body["previous_totals"]["reported"] == 1


def test_a_unit_clerk_gets_their_units_figures(ledger, world):
    with at("2024-04-10 12:00"):
        body = (
            api_as(world.other_clerk)
            .get("/api/v1/reports/indicators/", {"period": "2024-03"})
            .json()
        )
    assert [r["reported"] for r in body["rows"]] == [1]


def test_rankings_and_drilldowns_agree(ledger, world):
    client = api_as(world.office)
    with at("2024-04-10 12:00"):
        ranking = client.get(
            "/api/v1/reports/rankings/", {"period": "2024-03", "indicator": "overdue"}
        ).json()
        listed = client.get(
            "/api/v1/reports/cases/",
            {
                "period": "2024-03",
                "indicator": "overdue",
                "group_by": "unit",
                "group": world.unit.pk,
            },
        ).json()
    assert [(r["rank"], r["value"]) for r in ranking["rows"]] == [(1, 0), (2, 1)]
    assert listed["count"] == 1
    assert [c["tracking_code"] for c in listed["results"]] == [ledger.c7.tracking_code]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "March"}, "period"),
        ({"group_by": "colour"}, "group_by"),
    ],
)
def test_bad_parameters_are_named(world, params, field):
    response = api_as(world.office).get("/api/v1/reports/indicators/", params)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_bad_drilldown_parameters_are_named(world):
    client = api_as(world.office)
    response = client.get("/api/v1/reports/cases/", {"indicator": "happiness"})
    assert (response.status_code, response.json()["field"]) == (400, "indicator")
    response = client.get("/api/v1/reports/cases/", {"group_by": "unit", "group": "x"})
    assert (response.status_code, response.json()["field"]) == (400, "group")
    response = client.get("/api/v1/reports/rankings/", {"indicator": "reported"})
    assert (response.status_code, response.json()["field"]) == (400, "indicator")


def test_residents_and_grid_workers_get_no_statistics(world):
    for person in (world.resident, world.worker_a):
        response = api_as(person).get("/api/v1/reports/indicators/")
        assert response.status_code == 403
    assert api_as(None).get("/api/v1/reports/indicators/").status_code == 401
