"""Two districts in one installation (一市多区), on every scoped surface outside the ledger:
district 2's office never sees district 1's records (404 by id, absent from lists and
counts), the city office sees both. The ledger's own tests are in civgrid/cases/tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from civgrid.cases import actions as case_actions
from civgrid.cases.tests.api_support import api_as
from civgrid.fieldwork import actions as fieldwork_actions
from civgrid.inspections import actions as inspection_actions
from civgrid.inspections.tests.factories import make_framework, plan
from civgrid.notices.models import Notice
from civgrid.notices.queries import bad_ratings
from civgrid.testing import drive, make_site, make_unit, photo_upload, report
from civgrid.visits.actions import import_households
from civgrid.visits.tests.factories import make_household
from civgrid.worklogs import actions as worklog_actions

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    return {row["id"] for row in rows}


def test_households_of_another_district_are_404_and_not_listed(city):
    one = make_household(city.grid_a)
    two = make_household(city.grid2)
    office2 = api_as(city.office2)
    assert office2.get(f"/api/v1/households/{one.pk}/").status_code == 404
    assert ids(office2.get("/api/v1/households/")) == {two.pk}
    assert ids(api_as(city.city_office).get("/api/v1/households/")) == {one.pk, two.pk}
    assert ids(api_as(city.office).get("/api/v1/households/")) == {one.pk}


def test_the_household_pages_of_another_district_are_404(city, client):
    one = make_household(city.grid_a)
    client.force_login(city.office2.user)
    assert client.get(f"/visits/households/{one.pk}/").status_code == 404
    assert one.address not in client.get("/visits/households/").content.decode()


def test_a_district_office_imports_households_of_its_own_grids_only(city):
    from civgrid.visits.tests.test_import import xlsx

    theirs = make_household(city.grid_a, code="H-ONE")
    data = xlsx(
        [
            ["H-NEW", city.grid_a.code, "国槐街9号", "张", "", 1, "", "", "", ""],
            ["H-ONE", city.grid2.code, "搬走", "李", "", 1, "", "", "", ""],
        ]
    )
    result = import_households(data, actor=city.office2.user)
    assert [(p.row, p.field) for p in result.errors] == [
        (2, "grid_code"),
        (3, "code"),
    ]
    theirs.refresh_from_db()
    assert theirs.grid == city.grid_a
    ok = xlsx([["H-HY", city.grid2.code, "龙湖路1号", "王", "", 1, "", "", "", ""]])
    assert import_households(ok, actor=city.office2.user).ok


def test_patrols_of_another_districts_workers_are_hidden(city):
    start = timezone.now() - dt.timedelta(hours=1)
    one, _ = fieldwork_actions.start_patrol(
        actor=city.worker_a.user, client_key="p1", started_at=start
    )
    two, _ = fieldwork_actions.start_patrol(
        actor=city.worker2.user, client_key="p2", started_at=start
    )
    office2 = api_as(city.office2)
    assert office2.get(f"/api/v1/patrols/{one.pk}/").status_code == 404
    assert ids(office2.get("/api/v1/patrols/")) == {two.pk}
    assert ids(api_as(city.city_office).get("/api/v1/patrols/")) == {one.pk, two.pk}


def test_work_logs_of_another_districts_units_are_hidden(city):
    today = timezone.localdate()
    one = worklog_actions.record_work(
        actor=city.office.user, unit=city.unit, worked_on=today, kind="environment", person_times=3
    )
    two = worklog_actions.record_work(
        actor=city.office2.user,
        unit=city.unit2,
        worked_on=today,
        kind="environment",
        person_times=2,
    )
    with pytest.raises(worklog_actions.NotAllowed):
        worklog_actions.record_work(
            actor=city.office2.user,
            unit=city.unit,
            worked_on=today,
            kind="environment",
            person_times=1,
        )
    office2 = api_as(city.office2)
    assert ids(office2.get("/api/v1/worklogs/")) == {two.pk}
    assert ids(api_as(city.city_office).get("/api/v1/worklogs/")) == {one.pk, two.pk}


def test_inspections_stay_in_their_district(city):
    fw = make_framework(city)
    road = make_site(city.grid_a, kind="main_road", name="交通路")
    road2 = make_site(city.grid2, kind="main_road", name="龙湖路")
    one = plan(city, fw, [road])
    two = plan(city, fw, [road2], actor=city.office2.user, team=[city.inspector2.user])
    with pytest.raises(inspection_actions.InvalidInput) as refused:
        plan(city, fw, [road], actor=city.office2.user, team=[city.inspector2.user])
    assert refused.value.field == "sites"
    with pytest.raises(inspection_actions.InvalidInput) as refused:
        plan(city, fw, [road2], actor=city.office2.user, team=[city.inspector.user])
    assert refused.value.field == "team"
    office2 = api_as(city.office2)
    assert office2.get(f"/api/v1/inspections/{one.pk}/").status_code == 404
    assert ids(office2.get("/api/v1/inspections/")) == {two.pk}
    assert ids(api_as(city.city_office).get("/api/v1/inspections/")) == {one.pk, two.pk}


def test_units_and_grids_offered_are_the_districts(city):
    city_unit = make_unit(name="市住建局", code="SZJ", region=city.city)
    units = {u["code"] for u in api_as(city.office2).get("/api/v1/units/").json()}
    assert units == {city.unit2.code, city_unit.code}
    grids = {g["code"] for g in api_as(city.office2).get("/api/v1/grids/").json()}
    assert grids == {city.grid2.code}
    everything = {g["code"] for g in api_as(city.city_office).get("/api/v1/grids/").json()}
    assert everything == {city.grid_a.code, city.grid_b.code, city.grid2.code}
    located = api_as(city.office2).get("/api/v1/grids/locate/?lon=114.605&lat=33.605")
    assert located.status_code == 404


def test_the_grid_map_of_a_district_office_draws_its_district(city, client):
    client.force_login(city.office2.user)
    features = client.get("/territory/grids.geojson").json()["features"]
    assert {f["properties"]["code"] for f in features} == {city.grid2.code}


def test_start_page_panels_count_only_the_districts_cases(city, client):
    report(city)
    report(city)
    two = report(city, by=city.worker2, longitude=114.885, latitude=33.735)
    client.force_login(city.office2.user)
    page = client.get("/").content.decode()
    assert two.tracking_code in page
    client.force_login(city.office.user)
    page = client.get("/").content.decode()
    assert two.tracking_code not in page


def test_bad_ratings_list_only_the_districts_cases(city):
    one = drive(report(city), city, "register", "assign", "accept", "submit", "verify_pass")
    one = case_actions.reply(one, actor=city.office.user, expected_version=one.version, text="好")
    case_actions.rate(one, actor=city.office.user, expected_version=one.version, score=1)
    assert bad_ratings(city.office2.user) == []
    assert [c.pk for c in bad_ratings(city.office.user)] == [one.pk]
    assert [c.pk for c in bad_ratings(city.city_office.user)] == [one.pk]
    assert Notice.objects.filter(event="bad_rating", user=city.office.user).exists()
    assert not Notice.objects.filter(event="bad_rating", user=city.office2.user).exists()


def test_photos_of_another_districts_case_are_404(city, client):
    case = report(city, photos=[photo_upload()])
    photo = case.photos.get()
    client.force_login(city.office2.user)
    assert client.get(f"/cases/{case.pk}/photos/{photo.pk}/").status_code == 404
    assert api_as(city.office2).get(f"/api/v1/cases/{case.pk}/photos/{photo.pk}/").status_code == (
        404
    )
    client.force_login(city.city_office.user)
    assert client.get(f"/cases/{case.pk}/photos/{photo.pk}/").status_code == 200
