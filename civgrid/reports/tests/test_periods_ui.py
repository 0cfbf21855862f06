"""What a new reader meets: the period a page opens on, what it is compared with, the pickers,
and the city office comparing its districts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from civgrid.reports.indicators import Period
from civgrid.reports.tests.ledger import at, build_ledger, local
from civgrid.reports.views import comparison
from civgrid.testing import PASSWORD, report

DASHBOARD = reverse("reports:dashboard")
RANKINGS = reverse("reports:rankings")


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


@pytest.fixture
def ledger(world):
    return build_ledger(world)


def test_the_dashboard_opens_on_the_last_complete_month_even_on_the_first_day(client, world):
    login(client, world.office)
    with at("2024-04-01 09:00"):
        response = client.get(DASHBOARD)
    assert response.context["period"] == Period.month(dt.date(2024, 3, 1))


def test_the_rankings_open_on_the_last_complete_period_of_the_kind_asked(client, world):
    login(client, world.office)
    with at("2024-04-01 09:00"):
        assert client.get(RANKINGS).context["period"].key() == "2024-03"
        assert client.get(RANKINGS, {"kind": "quarter"}).context["period"].key() == "2024-Q1"
        assert client.get(RANKINGS, {"kind": "year"}).context["period"].key() == "2023"


def test_a_running_month_is_compared_with_the_same_days_of_the_month_before():
    now = local("2024-04-02 10:00")
    compared, compared_now = comparison(Period.month(now.date()), now)
    assert (compared.start, compared.end) == (dt.date(2024, 3, 1), dt.date(2024, 3, 2))
    assert compared_now == local("2024-03-02 10:00")
    finished, at_now = comparison(Period.month(dt.date(2024, 3, 1)), now)
    assert finished == Period.month(dt.date(2024, 2, 1)) and at_now == now


def test_the_dashboards_change_counts_only_the_same_days_of_the_previous_month(
    client, world, ledger
):
    login(client, world.office)
    with at("2024-04-02 12:00"):
        response = client.get(DASHBOARD, {"period": "2024-04"})
    tiles = {t["key"]: t for t in response.context["tiles"]}
    # March 1-2 up to noon: c4 (03-02 10:00) only; c1 was reported on 29 February.
    assert tiles["reported"]["previous"] == "1"
    assert "2024-03-01" in response.context["compared"].label()


def test_the_pickers_are_a_month_a_quarter_and_a_year_not_a_text_box(client, world, ledger):
    login(client, world.office)
    with at("2024-04-10 12:00"):
        month = client.get(RANKINGS, {"kind": "month", "month": "2024-02"})
        quarter = client.get(RANKINGS, {"kind": "quarter", "quarter": "2024-Q1"})
        year = client.get(DASHBOARD, {"kind": "year", "year": "2023"})
        bad = client.get(RANKINGS, {"kind": "month", "month": "2024-Q1"})
    assert month.context["period"].key() == "2024-02"
    assert quarter.context["period"].key() == "2024-Q1"
    assert year.context["period"].key() == "2023"
    assert bad.status_code == 400
    page = month.content.decode()
    assert 'type="month"' in page and 'name="quarter"' in page and 'name="year"' in page
    assert 'id="rank-period"' not in page


def test_the_rankings_indicator_selector_is_labelled_indicator_not_operator(client, world):
    login(client, world.office)
    with translation.override("zh-hans"):
        page = client.get(RANKINGS, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<label for="rank-indicator">指标</label>' in page
    assert "操作人" not in page


def test_the_city_office_compares_and_ranks_districts_a_district_office_does_not(client, city):
    w = city
    report(w)
    report(w, by=w.worker2, longitude=114.885, latitude=33.735)
    period = Period.current("month").key()
    login(client, w.city_office)
    page = client.get(DASHBOARD, {"period": period})
    assert sorted(r["label"] for r in page.context["districts"]) == sorted(
        [w.district.name, w.district2.name]
    )
    ranked = client.get(RANKINGS, {"period": period, "by": "district", "indicator": "overdue"})
    assert ranked.status_code == 200
    assert ("district", "District (区)") in [(k, str(v)) for k, v in ranked.context["by_choices"]]
    client.logout()
    login(client, w.office2)
    page = client.get(DASHBOARD, {"period": period})
    assert page.context["districts"] == []
    assert page.context["tiles"][0]["value"] == "1"  # its own district's one report
    assert "district" not in [k for k, _ in client.get(RANKINGS).context["by_choices"]]
