"""The OpenAPI document says what the API does: refusals, nullable fields, bounds, examples,
and query parameters that are checked, never quietly ignored."""

from __future__ import annotations

import datetime as dt

import pytest
from drf_spectacular.generators import SchemaGenerator
from shapely.geometry import Point

from civgrid.cases.tests.api_support import api_as
from civgrid.demo.geometry import build_street_map
from civgrid.territory.queries import locate_grid
from civgrid.visits.models import VisitPlan


@pytest.fixture(scope="module")
def document():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operation(document, path, method="get"):
    return document["paths"][path][method]


BAD_QUERIES = [
    # (address, the parameter the 400 names)
    ("/api/v1/cases/?status=bogus", "status"),
    ("/api/v1/cases/?status=", "status"),
    ("/api/v1/cases/?source=", "source"),
    ("/api/v1/cases/?source=drone", "source"),
    ("/api/v1/cases/?unit=NOSUCH", "unit"),
    ("/api/v1/cases/?grid=", "grid"),
    ("/api/v1/cases/?region=NOSUCH", "region"),
    ("/api/v1/cases/?category=", "category"),
    ("/api/v1/cases/?overdue=maybe", "overdue"),
    ("/api/v1/cases/?created_after=2024-13-01", "created_after"),
    ("/api/v1/cases/?created_before=yesterday", "created_before"),
    ("/api/v1/cases/?q=", "q"),
    ("/api/v1/cases/?ordering=tracking_code", "ordering"),
    ("/api/v1/cases/?page=0", "page"),
    ("/api/v1/cases/?page=abc", "page"),
    ("/api/v1/cases/?page_size=null", "page_size"),
    ("/api/v1/cases/?page_size=201", "page_size"),
    ("/api/v1/visits/?household=abc", "household"),
    ("/api/v1/visits/?household=0", "household"),
    ("/api/v1/visits/?household=", "household"),
    ("/api/v1/households/?grid=abc", "grid"),
    ("/api/v1/households/?flag=rich", "flag"),
    ("/api/v1/households/?q=", "q"),
    ("/api/v1/patrols/?page_size=0", "page_size"),
    ("/api/v1/inspections/?page=-1", "page"),
    ("/api/v1/grids/?region=", "region"),
    ("/api/v1/grids/?region=NOSUCH", "region"),
    ("/api/v1/grids/locate/?lon=&lat=33.6", "lon"),
    ("/api/v1/standards/?site_kind=moon", "site_kind"),
    ("/api/v1/standards/?unit=", "unit"),
    ("/api/v1/responsibility-map/?region=", "region"),
    ("/api/v1/reports/indicators/?group_by=", "group_by"),
    ("/api/v1/reports/indicators/?group_by=colour", "group_by"),
    ("/api/v1/reports/indicators/?period=2024-13", "period"),
    ("/api/v1/reports/indicators/?period=", "period"),
    ("/api/v1/reports/rankings/?by=", "by"),
    ("/api/v1/reports/rankings/?by=street", "by"),
    ("/api/v1/reports/rankings/?indicator=", "indicator"),
    ("/api/v1/reports/cases/?group=", "group"),
    ("/api/v1/reports/cases/?group_by=grid&group=abc", "group"),
    ("/api/v1/reports/cases/?page_size=x", "page_size"),
    ("/api/v1/worklogs/?period=", "period"),
    ("/api/v1/worklogs/?period=someday", "period"),
    ("/api/v1/worklogs/totals/?period=2024-03&by=", "by"),
    ("/api/v1/worklogs/totals/?period=2024-03&by=month", "by"),
]


@pytest.mark.parametrize(("address", "parameter"), BAD_QUERIES)
def test_a_bad_query_parameter_is_a_400_naming_it(world, address, parameter):
    response = api_as(world.office).get(address)
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid"
    assert response.json()["field"] == parameter


def test_a_visit_plans_bad_day_or_grid_is_a_400_naming_it(world):
    plan = VisitPlan.objects.create(
        name="高龄老人季访",
        frequency=VisitPlan.Frequency.QUARTERLY,
        active_from=dt.date(2024, 1, 1),
    )
    client = api_as(world.worker_a)
    for query, parameter in [("on=31.12.2024", "on"), ("grid=abc", "grid"), ("on=", "on")]:
        response = client.get(f"/api/v1/visit-plans/{plan.pk}/due/?{query}")
        assert response.status_code == 400, query
        assert response.json()["field"] == parameter, query


def test_a_page_past_the_last_is_a_documented_404(world, document):
    response = api_as(world.office).get("/api/v1/cases/?page=2")
    assert response.status_code == 404
    assert "404" in _operation(document, "/api/v1/cases/")["responses"]
    parameters = {
        p["name"]: p["schema"] for p in _operation(document, "/api/v1/cases/")["parameters"]
    }
    assert parameters["page"] == {"type": "integer", "minimum": 1}
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 200}


def test_due_on_is_documented_as_nullable(document):
    for name in ("CaseList", "CaseDetail"):
        assert document["components"]["schemas"][name]["properties"]["due_on"]["nullable"]


def test_every_operation_documents_its_refusals_in_the_error_shape(document):
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in document["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            codes = operation["responses"]
            where = f"{method.upper()} {path}"
            if operation.get("security") != [{}] and path != "/api/v1/auth/token/":
                assert "401" in codes, where
            if "{" in path or any(p["name"] == "page" for p in operation.get("parameters", [])):
                assert "404" in codes, where
            if method == "post" or any(p["in"] == "query" for p in operation.get("parameters", [])):
                assert "400" in codes, where
            for code, response in codes.items():
                if code.startswith("4"):
                    assert response["content"]["application/json"]["schema"] == error, (where, code)


def test_photos_are_documented_for_multipart_only(document):
    for path in ["/api/v1/cases/", "/api/v1/cases/{id}/actions/submit/", "/api/v1/visits/"]:
        body = _operation(document, path, "post")["requestBody"]["content"]
        as_json = document["components"]["schemas"][
            body["application/json"]["schema"]["$ref"].split("/")[-1]
        ]
        multipart = document["components"]["schemas"][
            body["multipart/form-data"]["schema"]["$ref"].split("/")[-1]
        ]
        files = {
            n
            for n, p in multipart["properties"].items()
            if p.get("type") == "array" and p["items"].get("format") == "binary"
        }
        assert files, path
        assert not files & set(as_json["properties"]), path
        assert "413" in _operation(document, path, "post")["responses"], path


def test_bounds_the_actions_enforce_are_documented(document):
    schemas = document["components"]["schemas"]
    score = schemas["Rate"]["properties"]["score"]
    assert (score["minimum"], score["maximum"]) == (1, 5)
    days = schemas["RequestExtension"]["properties"]["days"]
    assert (days["minimum"], days["maximum"]) == (1, 30)
    longitude = schemas["CaseCreateJson"]["properties"]["longitude"]
    assert (longitude["minimum"], longitude["maximum"], longitude["nullable"]) == (-180, 180, True)
    site_kind = {p["name"]: p for p in _operation(document, "/api/v1/standards/")["parameters"]}
    assert "main_road" in site_kind["site_kind"]["schema"]["enum"]


def test_the_example_point_lies_in_a_demo_grid_and_in_the_test_worlds_grid(world, document):
    example = _operation(document, "/api/v1/cases/", "post")["requestBody"]["content"][
        "application/json"
    ]["examples"]["ByCoordinates"]["value"]
    lon, lat = example["longitude"], example["latitude"]
    assert locate_grid(lon, lat) == world.grid_a
    for seed in (2026, 1, 2):  # the demo's default seed, and others
        demo = build_street_map(seed)
        assert sum(grid.contains(Point(lon, lat)) for grid in demo.grids) == 1, seed
    response = api_as(world.resident).get(f"/api/v1/grids/locate/?lon={lon}&lat={lat}")
    assert response.status_code == 200
