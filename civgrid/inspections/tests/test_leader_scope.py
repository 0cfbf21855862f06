"""A responsible leader reads a finished round through their grids only: the sites, who
visited them, when and how precisely, the findings and every total — page and API."""

from __future__ import annotations

import pytest

from civgrid.inspections import actions
from civgrid.inspections.models import InspectionSite
from civgrid.inspections.tests.factories import make_framework, plan, site_of, two_sites
from civgrid.testing import PASSWORD


@pytest.fixture
def finished(world):
    """A completed round over a road in grid A (passed) and a market in grid B (one failure);
    the leader answers for grid A only."""
    fw = make_framework(world)
    road, market = two_sites(world)
    inspection = plan(world, fw, [road, market])
    in_a, in_b = site_of(inspection, road), site_of(inspection, market)
    for isite, outcome, standards in (
        (in_a, "pass", (fw.s1, fw.s2)),
        (in_b, "fail", (fw.s1, fw.s3)),
    ):
        for standard in standards:
            actions.record_check(
                isite, actor=world.inspector.user, standard=standard, outcome=outcome
            )
        actions.complete_site(isite, actor=world.inspector.user)
    InspectionSite.objects.filter(pk=in_b.pk).update(accuracy=37)
    actions.complete_inspection(inspection, actor=world.office.user)
    world.leader.regions.set([world.grid_a])
    return world, inspection


def test_a_leader_sees_only_their_grids_sites_on_a_finished_inspection(finished, client):
    world, inspection = finished
    client.login(username="leader", password=PASSWORD)
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "交通路" in page and "东方红市场" not in page
    assert "±37 m" not in page and "114.615" not in page
    assert "<strong data-progress>1 / 1</strong>" in page and "(0)</a>" in page


def test_a_leader_counts_a_rounds_sites_and_findings_over_their_grids_only(finished, client):
    world, inspection = finished
    client.login(username="leader", password=PASSWORD)
    (row,) = client.get("/api/v1/inspections/").json()["results"]
    assert (row["sites_total"], row["sites_done"], row["findings"]) == (1, 1, 0)
    detail = client.get(f"/api/v1/inspections/{inspection.pk}/").json()
    assert (detail["sites_total"], detail["findings"]) == (1, 0)
    sites = client.get(f"/api/v1/inspections/{inspection.pk}/sites/").json()
    assert [s["site"]["name"] for s in sites] == ["交通路"]
    index = client.get("/inspections/").content.decode()
    assert "1 / 1" in index


def test_the_office_still_sees_the_whole_round(finished, client):
    world, inspection = finished
    client.login(username="office", password=PASSWORD)
    (row,) = client.get("/api/v1/inspections/").json()["results"]
    assert (row["sites_total"], row["findings"]) == (2, 2)
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "东方红市场" in page and "±37 m" in page


def test_a_leader_answering_for_no_grid_sees_a_round_with_nothing_in_it(finished, client):
    world, inspection = finished
    world.leader.regions.clear()
    client.login(username="leader", password=PASSWORD)
    (row,) = client.get("/api/v1/inspections/").json()["results"]
    assert (row["sites_total"], row["sites_done"], row["findings"]) == (0, 0, 0)
    assert client.get(f"/api/v1/inspections/{inspection.pk}/sites/").json() == []
