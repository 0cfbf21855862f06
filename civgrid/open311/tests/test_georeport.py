"""Open311 GeoReport v2: an existing client can list services, post a request and read it
back, in JSON and in XML, with the spec's errors."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine

from civgrid.cases.models import Case, CaseEvent
from civgrid.open311.actions import create_api_key
from civgrid.open311.models import Jurisdiction
from civgrid.public.models import PublicReport
from civgrid.testing import drive, make_site, report

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
V2 = "/open311/v2"


@pytest.fixture
def key(world):
    _key, raw = create_api_key("随手拍App")
    return raw


def post(client, key, fmt="json", headers=None, **fields):
    data = {
        "api_key": key,
        "service_code": "ZDJY",
        "lat": "33.605",
        "long": "114.605",
        "description": "人行道上摆摊",
        "first_name": "明",
        "last_name": "李",
        "phone": "13700009999",
        "email": "li@example.com",
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"{V2}/requests.{fmt}", data, headers=headers)


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)  # our own output, not untrusted input


def test_discovery_in_both_formats(client, world):
    data = client.get(f"{V2}/discovery.json").json()
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(client.get(f"{V2}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]
    assert client.get(f"{V2}/").status_code == 302


def test_services_list_active_categories_in_both_formats(client, world):
    from civgrid.testing import make_category

    make_category(code="OLD", name="旧类别", is_active=False)
    data = client.get(f"{V2}/services.json").json()
    assert data == [
        {
            "service_code": "ZDJY",
            "service_name": "占道经营",
            "description": "",
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "",
        }
    ]
    root = xml(client.get(f"{V2}/services.xml"))
    assert root.tag == "services"
    (service,) = root.findall("service")
    assert service.findtext("service_code") == "ZDJY"
    assert service.findtext("metadata") == "false" and service.findtext("type") == "realtime"


def test_a_service_definition_follows_the_format(client, world):
    assert client.get(f"{V2}/services/ZDJY.json").json() == {
        "service_code": "ZDJY",
        "attributes": [],
    }
    root = xml(client.get(f"{V2}/services/ZDJY.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "ZDJY"
    missing = client.get(f"{V2}/services/NOPE.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


# Wednesday 2025-03-05 10:00: 5 working days → answer by Wednesday 2025-03-12.
@time_machine.travel(dt.datetime(2025, 3, 5, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_a_request_posted_in_json_reads_back_in_json_and_xml(client, world, key):
    response = post(client, key)
    assert response.status_code == 200
    (row,) = response.json()
    case = Case.objects.get()
    assert row["service_request_id"] == case.tracking_code and row["account_id"] is None
    assert "2025-03-12" in row["service_notice"]
    assert f"/public/r/{case.tracking_code}/" in row["service_notice"]
    assert case.grid == world.grid_a and case.source == "resident" and case.reporter is None
    assert case.reporter_name == "明 李" and case.reporter_phone == "13700009999"
    assert PublicReport.objects.get(case=case).channel == "open311"
    event = CaseEvent.objects.get(case=case)
    assert event.actor_name == "Open311 client 随手拍App" and event.data["channel"] == "open311"

    (got,) = client.get(f"{V2}/requests/{case.tracking_code}.json").json()
    assert got == {
        "service_request_id": case.tracking_code,
        "status": "open",
        "status_notes": None,
        "service_name": "占道经营",
        "service_code": "ZDJY",
        "description": "人行道上摆摊",
        "agency_responsible": None,
        "service_notice": "An answer is promised by 2025-03-12.",
        "requested_datetime": "2025-03-05T10:00:00+08:00",
        "updated_datetime": "2025-03-05T10:00:00+08:00",
        "expected_datetime": "2025-03-13T00:00:00+08:00",
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": 33.605,
        "long": 114.605,
        "media_url": None,
    }
    root = xml(client.get(f"{V2}/requests/{case.tracking_code}.xml"))
    assert root.tag == "service_requests"
    (item,) = root.findall("request")
    assert item.findtext("service_request_id") == case.tracking_code
    assert item.findtext("status") == "open"
    assert item.findtext("requested_datetime") == "2025-03-05T10:00:00+08:00"
    assert item.findtext("lat") == "33.605" and item.findtext("long") == "114.605"
    for body in (client.get(f"{V2}/requests.json").content, ET.tostring(root)):
        text = body.decode()
        assert "13700009999" not in text and "李" not in text and "li@example.com" not in text


def test_a_request_posted_in_xml_answers_in_xml_and_closes_with_the_reply(client, world, key):
    root = xml(post(client, key, fmt="xml", lat=None, long=None, address_id=world.grid_b.code))
    code = root.findtext("request/service_request_id")
    assert root.findtext("request/service_notice").startswith("An answer is promised by")
    case = Case.objects.get(tracking_code=code)
    assert case.grid == world.grid_b
    drive(case, world, "register", "assign", "accept", "submit", "verify_pass", "reply")
    item = xml(client.get(f"{V2}/requests/{code}.xml")).find("request")
    assert item.findtext("status") == "closed"
    assert item.findtext("status_notes") == "已整改完毕"
    assert item.findtext("agency_responsible") == "城市管理局"


def test_address_id_may_name_a_site(client, world, key):
    site = make_site(world.grid_a, code="S-GH-1", name="国槐街口")
    (row,) = post(
        client, key, lat=None, long=None, address_id="S-GH-1", address_string="路口"
    ).json()
    case = Case.objects.get(tracking_code=row["service_request_id"])
    assert case.site == site and case.address == "路口"
    (got,) = client.get(f"{V2}/requests/{case.tracking_code}.json").json()
    assert got["address_id"] == "S-GH-1" and got["address"] == "路口"


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"api_key": None}, 403, "api_key"),
        ({"service_code": "NOPE"}, 400, "service_code NOPE"),
        ({"service_code": None}, 400, "service_code is required"),
        ({"lat": None, "long": None}, 400, "A location is required"),
        ({"lat": "north"}, 400, "decimal numbers"),
        ({"address_id": "nowhere", "lat": None, "long": None}, 400, "address_id nowhere"),
        ({"jurisdiction_id": "elsewhere.gov"}, 404, "jurisdiction_id elsewhere.gov"),
        ({"description": ""}, 400, "Description is required"),
    ],
)
def test_refused_posts_answer_the_spec_errors_and_store_nothing(
    client, world, key, fmt, fields, status, words
):
    response = post(client, key, fmt=fmt, **fields)
    assert response.status_code == status
    if fmt == "json":
        (error,) = response.json()
        code, description = error["code"], error["description"]
    else:
        root = xml(response)
        assert root.tag == "errors"
        code, description = int(root.findtext("error/code")), root.findtext("error/description")
    assert code == status and words in description
    assert not Case.objects.exists()


def test_an_inactive_key_is_refused(client, world):
    api_key, raw = create_api_key("old app")
    api_key.is_active = False
    api_key.save()
    assert post(client, raw).status_code == 403


def test_a_known_jurisdiction_is_accepted(client, world, key):
    Jurisdiction.objects.create(jurisdiction_id="chuanhui.example.gov.cn", name="川汇区")
    assert post(client, key, jurisdiction_id="chuanhui.example.gov.cn").status_code == 200
    assert client.get(f"{V2}/services.json", {"jurisdiction_id": "x"}).status_code == 404


def test_posts_per_key_are_rate_limited(client, world, key, settings):
    settings.CIVGRID_PUBLIC_RATE_LIMITS = {"open311_key": (1, 3600)}
    assert post(client, key).status_code == 200
    response = post(client, key)
    assert response.status_code == 429 and response["Retry-After"]
    assert Case.objects.count() == 1


def test_the_request_list_filters_and_shows_only_public_reports(client, world, key):
    with time_machine.travel(dt.datetime(2025, 3, 5, 10, 0, tzinfo=SHANGHAI), tick=False):
        first = post(client, key).json()[0]["service_request_id"]
        report(world)  # a grid worker's own report: not an Open311 request
    with time_machine.travel(dt.datetime(2025, 3, 20, 9, 0, tzinfo=SHANGHAI), tick=False):
        second = post(client, key).json()[0]["service_request_id"]
        case = Case.objects.get(tracking_code=second)
        drive(case, world, "register", "assign", "accept", "submit", "verify_pass")
        everything = client.get(f"{V2}/requests.json").json()
        assert [r["service_request_id"] for r in everything] == [second, first]
        assert [
            r["service_request_id"]
            for r in client.get(f"{V2}/requests.json", {"status": "closed"}).json()
        ] == [second]
        assert [
            r["service_request_id"]
            for r in client.get(f"{V2}/requests.json", {"status": "open"}).json()
        ] == [first]
        ranged = client.get(
            f"{V2}/requests.json",
            {"start_date": "2025-03-01T00:00:00+08:00", "end_date": "2025-03-10T00:00:00+08:00"},
        ).json()
        assert [r["service_request_id"] for r in ranged] == [first]
        by_id = client.get(f"{V2}/requests.json", {"service_request_id": f"{first},{second}"})
        assert {r["service_request_id"] for r in by_id.json()} == {first, second}
        assert client.get(f"{V2}/requests.json", {"service_code": "OTHER"}).json() == []
        too_long = client.get(
            f"{V2}/requests.json",
            {"start_date": "2024-01-01T00:00:00Z", "end_date": "2025-03-10T00:00:00Z"},
        )
        assert too_long.status_code == 400
        assert client.get(f"{V2}/requests.json", {"status": "pending"}).status_code == 400
        root = xml(client.get(f"{V2}/requests.xml"))
        assert [r.findtext("service_request_id") for r in root.findall("request")] == [
            second,
            first,
        ]
    assert client.get(f"{V2}/requests/NOPE.json").status_code == 404


def test_a_request_resent_with_the_same_idempotency_key_returns_the_same_case(client, world, key):
    first = post(client, key, headers={"Idempotency-Key": "app-req-7"})
    again = post(client, key, headers={"Idempotency-Key": "app-req-7"})
    other = post(client, key, headers={"Idempotency-Key": "app-req-8"})
    assert first.status_code == again.status_code == other.status_code == 200
    (row,), (row_again,), (row_other,) = first.json(), again.json(), other.json()
    assert row_again["service_request_id"] == row["service_request_id"]
    assert row_other["service_request_id"] != row["service_request_id"]
    assert Case.objects.count() == 2


def test_another_client_with_the_same_idempotency_key_files_its_own_request(client, world, key):
    _other, other_key = create_api_key("另一个App")
    (row,) = post(client, key, headers={"Idempotency-Key": "req-1"}).json()
    (row_other,) = post(client, other_key, headers={"Idempotency-Key": "req-1"}).json()
    assert row_other["service_request_id"] != row["service_request_id"]
    assert Case.objects.count() == 2
