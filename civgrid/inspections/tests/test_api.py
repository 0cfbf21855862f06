"""The inspections API: list/detail/sites/checklist, posting a result, scores, at risk, scope."""

from __future__ import annotations

import pytest

from civgrid.cases.models import Case
from civgrid.cases.tests.api_support import api_as
from civgrid.inspections.tests.factories import make_framework, plan, site_of, two_sites


@pytest.fixture
def setup(world):
    fw = make_framework(world)
    road, market = two_sites(world)
    inspection = plan(world, fw, [road, market])
    return world, fw, inspection, site_of(inspection, road), site_of(inspection, market)


def checklist_url(inspection, isite):
    return f"/api/v1/inspections/{inspection.pk}/sites/{isite.pk}/checklist/"


def test_the_inspector_lists_reads_and_answers_a_checklist(setup):
    world, fw, inspection, road, _market = setup
    api = api_as(world.inspector)
    listed = api.get("/api/v1/inspections/").json()
    assert [i["id"] for i in listed["results"]] == [inspection.pk]
    assert listed["results"][0]["sites_total"] == 2
    assert api.get(f"/api/v1/inspections/{inspection.pk}/").json()["kind"] == "unannounced"
    sites = api.get(f"/api/v1/inspections/{inspection.pk}/sites/").json()
    assert [s["site"]["name"] for s in sites] == ["交通路", "东方红市场"]
    checklist = api.get(checklist_url(inspection, road)).json()
    assert [s["code"] for s in checklist["standards"]] == ["S1", "S2"]
    assert checklist["standards"][0]["questions"][0]["text"] == "S1 要点一"
    response = api.post(
        checklist_url(inspection, road),
        {
            "standard": "S2",
            "outcome": "fail",
            "note": "摊位",
            "longitude": 114.605,
            "latitude": 33.605,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["case"]["tracking_code"] == case.tracking_code
    assert body["case"]["unit"] == "市场监督管理局"
    again = api.post(
        checklist_url(inspection, road), {"standard": "S2", "outcome": "fail"}, format="json"
    )
    assert again.status_code == 200 and Case.objects.count() == 1


def test_bad_input_answers_with_the_field_at_fault(setup):
    world, fw, inspection, road, _market = setup
    api = api_as(world.inspector)
    unknown = api.post(
        checklist_url(inspection, road), {"standard": "NOPE", "outcome": "pass"}, format="json"
    )
    assert unknown.status_code == 400 and unknown.json()["field"] == "standard"
    wrong_kind = api.post(
        checklist_url(inspection, road), {"standard": "S3", "outcome": "pass"}, format="json"
    )
    assert wrong_kind.status_code == 400 and wrong_kind.json()["field"] == "standard"
    bad = api.post(
        checklist_url(inspection, road), {"standard": "S1", "outcome": "meh"}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["field"] == "outcome"


def test_others_get_404_or_403_and_nothing_changes(setup):
    world, fw, inspection, road, _market = setup
    for who in (world.clerk, world.worker_a, world.resident):
        api = api_as(who)
        assert api.get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404
        assert api.get("/api/v1/inspections/").json()["results"] == []
        answer = api.post(
            checklist_url(inspection, road), {"standard": "S1", "outcome": "pass"}, format="json"
        )
        assert answer.status_code == 404
    # The office sees the inspection but is not on the team: it cannot answer.
    office = api_as(world.office)
    assert (
        office.post(
            checklist_url(inspection, road), {"standard": "S1", "outcome": "pass"}, format="json"
        ).status_code
        == 404
    )
    assert not road.results.exists()
    assert api_as().get("/api/v1/inspections/").status_code == 401


def test_scores_and_at_risk(setup):
    world, fw, inspection, road, _market = setup
    api = api_as(world.inspector)
    api.post(checklist_url(inspection, road), {"standard": "S1", "outcome": "pass"}, format="json")
    api.post(checklist_url(inspection, road), {"standard": "S2", "outcome": "fail"}, format="json")
    body = api.get(f"/api/v1/inspections/{inspection.pk}/scores/?by=unit").json()
    assert body["whole"]["possible"] == "5.00" and body["whole"]["achieved_raw"] == "2.00"
    assert body["whole"]["percent_raw"] == "40.0"
    assert [line["label"] for line in body["lines"]] == ["城市管理局", "市场监督管理局"]
    assert api.get(f"/api/v1/inspections/{inspection.pk}/scores/?by=nope").status_code == 400
    risks = api.get("/api/v1/inspections/at-risk/").json()
    assert [(r["standard"], r["points_at_stake"]) for r in risks] == [("S2", "3.00")]
    assert api_as(world.clerk).get("/api/v1/inspections/at-risk/").json() == []
    assert [
        r["standard"] for r in api_as(world.other_clerk).get("/api/v1/inspections/at-risk/").json()
    ] == ["S2"]
    assert (
        api_as(world.clerk).get(f"/api/v1/inspections/{inspection.pk}/scores/").status_code == 404
    )
