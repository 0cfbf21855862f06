"""The dashboard, the drill-down list and the rankings page, as their readers see them."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civgrid.org.models import Role
from civgrid.reports import indicators as ind
from civgrid.reports.indicators import Period
from civgrid.reports.tests.ledger import NOW, at, build_ledger
from civgrid.territory.models import Region
from civgrid.testing import PASSWORD, make_person, make_region, report, square

DASHBOARD = reverse("reports:dashboard")
CASES = reverse("reports:cases")
RANKINGS = reverse("reports:rankings")


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def codes(response) -> set[str]:
    return set(re.findall(r'data-case="([^"]+)"', response.content.decode()))


def drill_count(response) -> int:
    return int(re.search(r"data-drill-count>(\d+)<", response.content.decode())[1])


@pytest.fixture
def ledger(world):
    return build_ledger(world)


def test_only_the_office_inspectors_leaders_and_units_see_statistics(client, world):
    for person in (world.worker_a, world.resident):
        login(client, person)
        assert client.get(DASHBOARD).status_code == 403
        assert client.get(CASES).status_code == 403
        assert client.get(RANKINGS).status_code == 403
    client.logout()
    assert client.get(DASHBOARD).status_code == 302  # to the login page
    for person in (world.office, world.inspector, world.leader, world.clerk):
        login(client, person)
        assert client.get(DASHBOARD).status_code == 200


def test_the_nav_links_the_dashboard_for_readers_only(client, world):
    login(client, world.leader)
    assert DASHBOARD in client.get(reverse("cases:ledger")).content.decode()
    login(client, world.worker_a)
    assert f'href="{DASHBOARD}"' not in client.get(reverse("cases:ledger")).content.decode()


def test_the_dashboard_shows_the_periods_figures_with_the_change(client, ledger, world):
    login(client, world.office)
    with at("2024-04-10 12:00"):
        response = client.get(DASHBOARD, {"period": "2024-03"})
    assert response.status_code == 200
    page = response.content.decode()
    tiles = dict(re.findall(r'data-tile="(\w+)">\s*<a[^>]*>\s*<strong data-value>([^<]+)<', page))
    assert tiles["reported"] == "13" and tiles["closed"] == "7" and tiles["overdue"] == "1"
    assert tiles["closure_rate"] == "60.00%" and tiles["on_time_rate"] == "85.71%"
    # February had one case reported (c1): 13 - 1 = +12
    assert "+12 (+1200.0%)" in page
    charts = response.context["charts"]
    assert sum(charts["trend"]["series"][0]["data"]) == 13  # reported, by day
    assert charts["units"]["labels"] == ["城市管理局", "市场监督管理局"]
    grids = {
        f["properties"]["name"]: f["properties"] for f in response.context["map_data"]["features"]
    }
    assert (grids["国槐街网格"]["open"], grids["国槐街网格"]["overdue"]) == (3, 1)
    assert (grids["富民社区网格"]["open"], grids["富民社区网格"]["overdue"]) == (1, 0)


def test_the_dashboard_answers_in_a_bounded_number_of_queries(client, ledger, world):
    login(client, world.office)
    with at("2024-04-10 12:00"), CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD, {"period": "2024-03"}).status_code == 200
    # session, user, person; 2 totals (+ 2 P90); 2 trend; rank (+P90, labels); sources;
    # categories (+labels); grids (+labels); map grids — the same for any number of cases
    assert len(queries) <= 22, [q["sql"][:80] for q in queries]


def test_a_bad_period_is_refused_with_a_message(client, world):
    login(client, world.office)
    response = client.get(DASHBOARD, {"period": "2024-13"})
    assert response.status_code == 400
    assert "not a valid period" in response.content.decode()
    response = client.get(CASES, {"period": "2024-03", "indicator": "happiness"})
    assert response.status_code == 400
    assert "Unknown indicator" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"indicator": "overdue"}, 1),
        ({"indicator": "closed"}, 7),
        ({"indicator": "closure_rate"}, 6),
        ({"indicator": "reported", "group_by": "source", "group": "resident"}, 3),
        ({"indicator": "reported", "group_by": "unit", "group": "none"}, 5),
        ({"indicator": "p90_hours"}, 7),
    ],
)
def test_the_drilldown_page_lists_the_figures_cases(client, ledger, world, params, expected):
    login(client, world.office)
    with at("2024-04-10 12:00"):
        response = client.get(CASES, {"period": "2024-03", **params})
    assert response.status_code == 200
    assert drill_count(response) == expected
    listed = ind.drilldown(
        Period.month(NOW.date().replace(month=3)),
        params["indicator"],
        group_by=params.get("group_by"),
        group=params.get("group") if params.get("group") != "none" else None,
        now=NOW,
    )
    assert codes(response) == {c.tracking_code for c in listed}


def test_the_drilldown_of_a_unit_takes_its_id(client, ledger, world):
    login(client, world.office)
    with at("2024-04-10 12:00"):
        response = client.get(
            CASES,
            {
                "period": "2024-03",
                "indicator": "open",
                "group_by": "unit",
                "group": world.other_unit.pk,
            },
        )
    assert codes(response) == {ledger.c13.tracking_code}
    assert "市场监督管理局" in response.content.decode()


def test_a_leader_sees_only_the_figures_of_their_area(client, world):
    street = world.street
    other_area = make_region(code="A2", name="第二片区", level=Region.Level.AREA, parent=street)
    other_grid = make_region(
        code="G9", name="外网格", parent=other_area, geometry=square(114.70, 33.60)
    )
    outsider = make_person(Role.GRID_WORKER, regions=[other_grid])
    with at("2024-03-05 10:00"):
        report(world)  # grid A, in the leader's area
        report(world, by=outsider, longitude=114.705, latitude=33.605)  # elsewhere
    login(client, world.office)
    with at("2024-03-10 10:00"):
        office = client.get(DASHBOARD, {"period": "2024-03"})
    login(client, world.leader)
    with at("2024-03-10 10:00"):
        leader = client.get(DASHBOARD, {"period": "2024-03"})
        leader_list = client.get(CASES, {"period": "2024-03", "indicator": "reported"})
    assert office.context["tiles"][0]["value"] == "2"
    assert leader.context["tiles"][0]["value"] == "1"
    assert drill_count(leader_list) == 1
    names = {f["properties"]["name"] for f in leader.context["map_data"]["features"]}
    assert "外网格" not in names and "国槐街网格" in names


def test_the_rankings_page_ranks_and_lists_the_overdue_and_the_slowest(client, ledger, world):
    login(client, world.office)
    with at("2024-04-10 12:00"):
        response = client.get(
            RANKINGS, {"period": "2024-03", "by": "unit", "indicator": "closure_rate"}
        )
    assert response.status_code == 200
    rows = [(r["rank"], r["label"], r["value"]) for r in response.context["rows"]]
    assert rows == [(1, "城市管理局", "71.43%"), (2, "市场监督管理局", "0.00%")]
    page = response.content.decode()
    assert "data-overdue-count>2<" in page  # c7 and c13 at 04-10
    slow = [c.tracking_code for c in response.context["slowest"]]
    assert slow[:3] == [ledger.c4.tracking_code, ledger.c1.tracking_code, ledger.c5.tracking_code]
    assert "120.0" in page


def test_the_rankings_page_refuses_an_unrankable_indicator(client, world):
    login(client, world.office)
    response = client.get(RANKINGS, {"indicator": "reported"})
    assert response.status_code == 400
    assert "cannot be ranked" in response.content.decode()
