"""Open311 in a city of several districts: a district's jurisdiction takes and lists only what
lies in its district."""

from __future__ import annotations

import pytest

from civgrid.cases.models import Case
from civgrid.open311.actions import create_api_key
from civgrid.open311.models import Jurisdiction

V2 = "/open311/v2"


@pytest.fixture
def jurisdictions(city):
    one = Jurisdiction.objects.create(
        jurisdiction_id="chuanhui.zhoukou.gov.cn", name="川汇区", region=city.district
    )
    two = Jurisdiction.objects.create(
        jurisdiction_id="huaiyang.zhoukou.gov.cn", name="淮阳区", region=city.district2
    )
    return one, two


@pytest.fixture
def key(city):
    _key, raw = create_api_key("随手拍App")
    return raw


def post(client, key, jurisdiction, lat, lon):
    return client.post(
        f"{V2}/requests.json",
        {
            "api_key": key,
            "jurisdiction_id": jurisdiction,
            "service_code": "ZDJY",
            "lat": lat,
            "long": lon,
            "description": "人行道上摆摊",
        },
    )


def test_a_request_through_a_districts_jurisdiction_lands_in_that_district(
    client, city, jurisdictions, key
):
    made = post(client, key, "huaiyang.zhoukou.gov.cn", "33.735", "114.885")
    assert made.status_code == 200, made.content
    case = Case.objects.get(tracking_code=made.json()[0]["service_request_id"])
    assert case.grid == city.grid2


def test_a_place_in_another_district_is_refused(client, city, jurisdictions, key):
    refused = post(client, key, "huaiyang.zhoukou.gov.cn", "33.605", "114.605")
    assert refused.status_code == 400
    assert "淮阳区" in refused.json()[0]["description"]
    assert not Case.objects.exists()


def test_a_districts_jurisdiction_lists_only_its_districts_requests(
    client, city, jurisdictions, key
):
    one = post(client, key, "chuanhui.zhoukou.gov.cn", "33.605", "114.605").json()[0]
    two = post(client, key, "huaiyang.zhoukou.gov.cn", "33.735", "114.885").json()[0]
    listed = client.get(f"{V2}/requests.json", {"jurisdiction_id": "huaiyang.zhoukou.gov.cn"})
    assert [r["service_request_id"] for r in listed.json()] == [two["service_request_id"]]
    other = client.get(
        f"{V2}/requests/{one['service_request_id']}.json",
        {"jurisdiction_id": "huaiyang.zhoukou.gov.cn"},
    )
    assert other.status_code == 404
    everywhere = client.get(f"{V2}/requests.json")
    assert len(everywhere.json()) == 2
