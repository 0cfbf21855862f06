"""Reporting a case through the API: idempotent, validated, with or without photos."""

from __future__ import annotations

import pytest

from civgrid.cases.models import Case, CaseEvent, CasePhoto
from civgrid.cases.tests.api_support import NEW_CASE, api_as
from civgrid.testing import photo_upload


def counts() -> tuple[int, int, int]:
    return Case.objects.count(), CaseEvent.objects.count(), CasePhoto.objects.count()


def test_a_report_creates_a_case_located_in_its_grid(world):
    response = api_as(world.worker_a).post("/api/v1/cases/", NEW_CASE, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["id"] == case.pk
    assert response["Location"] == f"/api/v1/cases/{case.pk}/"
    assert body["grid"] == {
        "id": world.grid_a.pk,
        "code": world.grid_a.code,
        "name": "国槐街网格",
        "area": "第一片区",
    }
    assert body["category"]["code"] == "ZDJY"
    assert body["status"] == "reported"
    assert body["version"] == 1
    assert [e["action"] for e in body["events"]] == ["report"]
    assert "register" not in body["available_actions"]  # a grid worker does not register
    assert "fix_on_spot" in body["available_actions"]


def test_the_same_idempotency_key_twice_creates_one_case(world):
    client = api_as(world.worker_a)
    first = client.post("/api/v1/cases/", NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post("/api/v1/cases/", NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert second["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1


def test_the_client_key_field_is_the_same_as_the_header(world):
    client = api_as(world.worker_a)
    first = client.post("/api/v1/cases/", {**NEW_CASE, "client_key": "k-2"}, format="json")
    second = client.post("/api/v1/cases/", NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Case.objects.count() == 1


def test_a_header_and_field_that_disagree_are_refused(world):
    response = api_as(world.worker_a).post(
        "/api/v1/cases/",
        {**NEW_CASE, "client_key": "a"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="b",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "client_key"
    assert Case.objects.count() == 0


def test_different_users_with_the_same_key_get_two_cases(world):
    one = api_as(world.worker_a).post(
        "/api/v1/cases/", NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="same"
    )
    two = api_as(world.office).post(
        "/api/v1/cases/",
        {**NEW_CASE, "source": "hotline"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="same",
    )
    assert (one.status_code, two.status_code) == (201, 201)
    assert one.json()["id"] != two.json()["id"]
    assert Case.objects.count() == 2


def test_without_a_key_every_post_is_a_new_case(world):
    client = api_as(world.worker_a)
    client.post("/api/v1/cases/", NEW_CASE, format="json")
    client.post("/api/v1/cases/", NEW_CASE, format="json")
    assert Case.objects.count() == 2


def test_a_multipart_report_keeps_its_photos(world):
    response = api_as(world.resident).post(
        "/api/v1/cases/",
        {
            **NEW_CASE,
            "source": "resident",
            "photos": [photo_upload("a.png"), photo_upload("b.png")],
            "reporter_phone": "13812345678",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    photos = response.json()["photos"]
    assert [p["kind"] for p in photos] == ["report", "report"]
    case_id = response.json()["id"]
    assert [p["url"] for p in photos] == [
        f"http://testserver/api/v1/cases/{case_id}/photos/{p['id']}/" for p in photos
    ]
    assert photos[0]["event"] == response.json()["events"][0]["id"]
    assert CasePhoto.objects.count() == 2


def test_the_category_may_be_given_by_id_or_code(world):
    client = api_as(world.worker_a)
    by_id = client.post(
        "/api/v1/cases/", {**NEW_CASE, "category": world.category.pk}, format="json"
    )
    by_code = client.post(
        "/api/v1/cases/", {**NEW_CASE, "category": None, "category_code": "ZDJY"}, format="json"
    )
    assert by_id.status_code == by_code.status_code == 201, by_code.content
    assert by_id.json()["category"]["id"] == by_code.json()["category"]["id"] == world.category.pk


def test_the_grid_may_be_named_instead_of_located(world):
    data = {k: v for k, v in NEW_CASE.items() if k not in ("longitude", "latitude")}
    response = api_as(world.office).post(
        "/api/v1/cases/",
        {**data, "source": "inspection", "grid": world.grid_b.code},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["grid"]["id"] == world.grid_b.pk


def test_a_fix_on_the_spot_closes_the_report_at_once(world):
    response = api_as(world.worker_a).post(
        "/api/v1/cases/",
        {
            **NEW_CASE,
            "fixed_on_spot": "true",
            "fix_note": "已劝离摊贩",
            "fix_photos": [photo_upload()],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "closed"
    assert body["fixed_on_spot"] is True
    assert [e["action"] for e in body["events"]] == ["report", "fix_on_spot"]
    assert [p["kind"] for p in body["photos"]] == ["evidence"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": ""}, "description"),
        ({"category": "NOPE"}, "category"),
        ({"category": None}, "category"),
        ({"source": "rumour"}, "source"),
        ({"longitude": "east"}, "longitude"),
        ({"longitude": 200.0}, "longitude"),
        ({"longitude": 120.0, "latitude": 30.0}, "grid"),  # outside every grid
        ({"latitude": None}, "longitude"),
        ({"reporter_phone": "call me"}, "reporter_phone"),
        ({"grid": "411602001-01"}, "grid"),  # a 片区, not a grid
    ],
)
def test_an_invalid_report_is_refused_and_changes_nothing(world, change, field):
    before = counts()
    response = api_as(world.worker_a).post("/api/v1/cases/", {**NEW_CASE, **change}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] == "invalid"
    assert body["field"] == field
    assert body["message"]
    assert counts() == before


def test_a_file_that_is_not_an_image_is_refused_and_changes_nothing(world):
    before = counts()
    response = api_as(world.worker_a).post(
        "/api/v1/cases/",
        {**NEW_CASE, "photos": [photo_upload("x.png", b"not an image at all")]},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "photos"
    assert counts() == before


def test_a_person_without_a_role_may_not_report(world, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    response = api_as(nobody).post("/api/v1/cases/", NEW_CASE, format="json")
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert Case.objects.count() == 0
