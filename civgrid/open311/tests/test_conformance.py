"""What published GeoReport v2 clients found: the key in the query string, dates out of range
or impossible, and every error under /open311/v2/ as the spec's error list."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.test import Client

from civgrid.cases.models import Case
from civgrid.open311.actions import create_api_key

V2 = "/open311/v2"
REQUEST = {
    "service_code": "ZDJY",
    "lat": "33.605",
    "long": "114.605",
    "description": "人行道上摆摊",
}


@pytest.fixture
def key(world):
    return create_api_key("随手拍App")[1]


def error_of(response):
    """(code, description) of a JSON or XML error list of one error."""
    if response["Content-Type"].startswith("application/json"):
        (error,) = response.json()
        return error["code"], error["description"]
    root = ET.fromstring(response.content)  # our own output
    assert root.tag == "errors"
    return int(root.findtext("error/code")), root.findtext("error/description")


def test_an_api_key_in_the_query_string_is_accepted(client, world, key):
    response = client.post(f"{V2}/requests.json?api_key={key}", REQUEST)
    assert response.status_code == 200 and Case.objects.count() == 1


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"start_date": "9999-12-31T00:00:00Z"}, "start_date"),
        ({"end_date": "0001-01-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2025-13-01T00:00:00Z"}, "start_date"),
        ({"end_date": "yesterday"}, "end_date"),
    ],
)
def test_bad_dates_answer_400_naming_the_parameter(client, world, params, name):
    response = client.get(f"{V2}/requests.json", params)
    code, description = error_of(response)
    assert response.status_code == code == 400
    assert description.startswith(name) and "month" not in description


@time_machine.travel(dt.datetime(2025, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False)
def test_a_future_start_date_alone_finds_nothing_yet(client, world):
    response = client.get(f"{V2}/requests.json", {"start_date": "2025-06-01T00:00:00Z"})
    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_resource_answers_the_error_list(client, world, fmt):
    for path in (f"nope.{fmt}", f"requests/A/B.{fmt}", f"services.{fmt}/x.{fmt}"):
        response = client.get(f"{V2}/{path}")
        assert response.status_code == 404 and error_of(response)[0] == 404
        assert response["Content-Type"].startswith(
            "application/json" if fmt == "json" else "text/xml"
        )


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_wrong_method_answers_405_in_the_error_list_not_a_csrf_page(world, fmt):
    client = Client(enforce_csrf_checks=True)
    for method, path in (("post", f"services.{fmt}"), ("delete", f"requests.{fmt}")):
        response = getattr(client, method)(f"{V2}/{path}")
        assert response.status_code == 405 and error_of(response)[0] == 405
        assert response["Allow"]


def test_the_root_redirects_a_get_and_refuses_a_post_in_the_error_list(world):
    client = Client(enforce_csrf_checks=True)
    response = client.get(f"{V2}/")
    assert response.status_code == 302 and response.url == f"{V2}/discovery.xml"
    refused = client.post(f"{V2}/")
    assert refused.status_code == 405 and error_of(refused)[0] == 405


def test_a_post_without_csrf_token_is_judged_by_its_api_key(world, key):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{V2}/requests.xml", {**REQUEST, "api_key": "wrong"})
    assert response.status_code == 403 and "api_key" in error_of(response)[1]


@pytest.mark.parametrize("address_id", ["grid_a", "site"])
def test_an_address_id_with_coordinates_outside_it_is_refused(client, world, key, address_id):
    from civgrid.testing import make_site

    make_site(world.grid_a, code="S-GH-1", name="国槐街口")
    code = world.grid_a.code if address_id == "grid_a" else "S-GH-1"
    far = {**REQUEST, "api_key": key, "address_id": code, "lat": "34.5", "long": "113.0"}
    response = client.post(f"{V2}/requests.json", far)
    assert response.status_code == 400 and "address_id" in error_of(response)[1]
    assert not Case.objects.exists()
    inside = {**far, "lat": "33.605", "long": "114.605"}
    assert client.post(f"{V2}/requests.json", inside).status_code == 200
