"""Reference lists (categories, units, grids), locating a point, and the OpenAPI document."""

from __future__ import annotations

from django.core.management import call_command

from civgrid.cases.tests.api_support import api_as
from civgrid.testing import make_category, make_unit


def test_categories_lists_those_in_use(world):
    make_category(code="OLD", name="旧类别", is_active=False)
    body = api_as(world.resident).get("/api/v1/categories/").json()
    assert [c["code"] for c in body] == ["ZDJY"]
    assert body[0]["default_unit"] == world.unit.pk


def test_units_lists_the_active_units(world):
    make_unit(code="ZZZ", name="已撤销单位", is_active=False)
    body = api_as(world.office).get("/api/v1/units/").json()
    assert [u["code"] for u in body] == ["CGJ", "SCJ"]
    assert body[0]["name"] == "城市管理局"


def test_grids_lists_every_grid_with_its_area(world):
    body = api_as(world.worker_a).get("/api/v1/grids/").json()
    assert [(g["id"], g["area"]) for g in body] == [
        (world.grid_a.pk, "第一片区"),
        (world.grid_b.pk, "第一片区"),
    ]
    assert body[0]["code"] == "411602001-01-001"
    under = api_as(world.worker_a).get(f"/api/v1/grids/?region={world.grid_b.code}").json()
    assert [g["id"] for g in under] == [world.grid_b.pk]


def test_locate_finds_the_grid_containing_a_point(world):
    response = api_as(world.resident).get("/api/v1/grids/locate/?lon=114.615&lat=33.605")
    assert response.status_code == 200
    assert response.json()["id"] == world.grid_b.pk
    assert response.json()["area"] == "第一片区"


def test_locate_outside_every_grid_is_a_404_that_says_so(world):
    response = api_as(world.resident).get("/api/v1/grids/locate/?lon=120.0&lat=30.0")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert "No grid contains the point" in response.json()["message"]


def test_locate_with_bad_coordinates_is_a_400(world):
    client = api_as(world.resident)
    for query, field in [
        ("lon=east&lat=33.6", "lon"),
        ("lon=114.6", "lat"),
        ("lon=114.6&lat=95", "lat"),
        ("lon=nan&lat=33.6", "lon"),
    ]:
        response = client.get(f"/api/v1/grids/locate/?{query}")
        assert response.status_code == 400, query
        assert response.json()["field"] == field, query


def test_the_openapi_schema_generates_and_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/cases/{id}/actions/request_extension/" in text
    assert "RequestExtension" in text


def test_the_schema_and_swagger_ui_are_served(world):
    client = api_as(world.office)
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    # Swagger UI comes from our own static files (sidecar), never from a CDN.
    html = docs.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn.jsdelivr.net" not in html


def test_an_unknown_api_address_answers_json_404(world):
    for address in ["/api/v1/cases/not-a-number/", "/api/v1/nothing", "/api/v1/"]:
        response = api_as(world.office).get(address)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
        assert response.json()["message"] == "No such API endpoint."


def test_a_forgotten_trailing_slash_is_pointed_out(world):
    response = api_as(world.office).get("/api/v1/cases")
    assert response.status_code == 404
    assert "/api/v1/cases/" in response.json()["message"]
