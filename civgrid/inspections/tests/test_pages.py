"""The inspection pages: planning, the phone checklist, scores, export, and who may see what."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from civgrid.cases.models import Case
from civgrid.inspections import actions
from civgrid.inspections.models import Finding, Inspection, InspectionSite
from civgrid.inspections.tests.factories import make_framework, plan, site_of, two_sites
from civgrid.testing import PASSWORD, photo_upload


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


@pytest.fixture
def setup(world):
    fw = make_framework(world)
    road, market = two_sites(world)
    inspection = plan(world, fw, [road, market])
    return world, fw, inspection, site_of(inspection, road), site_of(inspection, market)


def test_the_office_plans_a_sampled_inspection_through_the_form(world, client):
    fw = make_framework(world)
    two_sites(world)
    login(client, world.office)
    response = client.post(
        "/inspections/new/",
        {
            "name": "三月明察暗访",
            "kind": "unannounced",
            "framework": fw.framework.pk,
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-06",
            "team": [world.inspector.user.pk],
            "size_main_road": "1",
            "size_market": "all",
            "seed": "5",
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response.url == f"/inspections/{inspection.pk}/"
    assert inspection.sampling_seed == 5 and inspection.sites.count() == 2
    assert inspection.sample_sizes == {"main_road": 1, "market": "all"}


def test_a_blind_spot_in_the_plan_is_refused_with_the_form_kept(world, client):
    fw = make_framework(world)
    login(client, world.office)
    response = client.post(
        "/inspections/new/",
        {
            "name": "公园专项",
            "kind": "special",
            "framework": fw.framework.pk,
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-06",
            "team": [world.inspector.user.pk],
            "size_park": "2",
        },
    )
    assert response.status_code == 400
    assert "every kind asked must be covered" in response.content.decode()
    assert "公园专项" in response.content.decode()
    assert not Inspection.objects.exists()


def test_the_inspector_fills_the_checklist_through_the_pages(setup, client):
    world, fw, inspection, road, _market = setup
    login(client, world.inspector)
    assert client.get("/inspections/mine/").status_code == 200
    page = client.get(f"/inspections/{inspection.pk}/sites/{road.pk}/")
    # By the standards' texts: a bare "S3" can occur by chance inside the random CSRF token.
    assert page.status_code == 200 and "标准S1" in page.content.decode()
    assert "标准S3" not in page.content.decode()  # a market standard, not at a road
    url = f"/inspections/{inspection.pk}/sites/{road.pk}/standards/"
    assert client.post(f"{url}{fw.s1.pk}/", {"outcome": "pass"}).status_code == 302
    response = client.post(
        f"{url}{fw.s2.pk}/",
        {
            "outcome": "fail",
            "note": "摊位占道",
            "photos": [photo_upload()],
            "longitude": "114.605",
            "latitude": "33.605",
            "accuracy": "12",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.tracking_code in response.content.decode()
    assert case.unit == world.other_unit and case.photos.count() == 1
    done = client.post(f"/inspections/{inspection.pk}/sites/{road.pk}/done/")
    assert done.status_code == 302
    assert InspectionSite.objects.get(pk=road.pk).status == "done"


def test_a_refused_answer_shows_the_message_and_changes_nothing(setup, client):
    world, fw, inspection, road, _market = setup
    login(client, world.inspector)
    response = client.post(
        f"/inspections/{inspection.pk}/sites/{road.pk}/standards/{fw.s1.pk}/",
        {"outcome": "fail", "fixed_on_spot": "1", "note": "x"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "What was done is required" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("who", ["clerk", "worker_a", "resident", "leader"])
def test_people_off_the_team_cannot_open_the_checklist(setup, client, who):
    world, fw, inspection, road, _market = setup
    login(client, getattr(world, who))
    response = client.get(f"/inspections/{inspection.pk}/sites/{road.pk}/")
    assert response.status_code in (403, 404)
    response = client.post(
        f"/inspections/{inspection.pk}/sites/{road.pk}/standards/{fw.s1.pk}/", {"outcome": "pass"}
    )
    assert response.status_code in (403, 404)
    assert not InspectionSite.objects.get(pk=road.pk).results.exists()


@pytest.mark.parametrize("who", ["clerk", "worker_a", "resident"])
def test_units_grid_workers_and_residents_see_no_inspection_plan(setup, client, who):
    world, _fw, inspection, _road, _market = setup
    login(client, getattr(world, who))
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 404
    assert client.get("/inspections/").status_code == 403


def test_a_leader_sees_completed_rounds_only(setup, client):
    world, fw, inspection, road, market = setup
    login(client, world.leader)
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 404
    for isite, standards in ((road, [fw.s1, fw.s2]), (market, [fw.s1, fw.s3])):
        for s in standards:
            actions.record_check(isite, actor=world.inspector.user, standard=s, outcome="pass")
        actions.complete_site(isite, actor=world.inspector.user)
    actions.complete_inspection(inspection, actor=world.office.user)
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 200
    scores = client.get(f"/inspections/{inspection.pk}/scores/?by=unit")
    assert scores.status_code == 200 and "100.0%" in scores.content.decode()


def test_scores_compare_and_at_risk_pages_render(setup, client):
    world, fw, inspection, road, _market = setup
    actions.record_check(road, actor=world.inspector.user, standard=fw.s2, outcome="fail")
    login(client, world.office)
    for by in ("item", "content", "standard", "site_kind", "unit", "grid"):
        assert (
            client.get(f"/inspections/{inspection.pk}/scores/?by={by}&view=now").status_code == 200
        )
    risk = client.get("/inspections/at-risk/")
    assert risk.status_code == 200 and 'data-standard="S2"' in risk.content.decode()
    compare = client.get(f"/inspections/compare/?a={inspection.pk}&b={inspection.pk}&by=unit")
    assert compare.status_code == 200 and 'id="comparison"' in compare.content.decode()
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 200


def test_the_excel_export_lists_the_findings_with_their_case(setup, client):
    world, fw, inspection, road, market = setup
    actions.record_check(
        road, actor=world.inspector.user, standard=fw.s2, outcome="fail", note="占道"
    )
    actions.record_check(market, actor=world.inspector.user, standard=fw.s1, outcome="fail")
    login(client, world.office)
    response = client.get(f"/inspections/{inspection.pk}/findings.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    codes = {f.case.tracking_code: f for f in Finding.objects.select_related("case")}
    by_code = {row[8]: row for row in rows[1:]}
    assert set(by_code) == set(codes)
    road_row = next(r for r in rows[1:] if r[3] == "S2")
    assert road_row[0] == "交通路" and road_row[5] == 3 and road_row[7] == "占道"
    assert road_row[9] == "市场监督管理局" and road_row[10] is not None
    # A unit clerk exports only the findings of their unit.
    client.logout()
    login(client, world.clerk)
    sheet = load_workbook(
        io.BytesIO(client.get(f"/inspections/{inspection.pk}/findings.xlsx").content)
    ).active
    assert [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["S1"]
    findings = client.get("/inspections/findings/")
    assert findings.status_code == 200 and "S2" not in findings.content.decode()
