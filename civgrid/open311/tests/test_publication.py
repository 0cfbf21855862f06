"""What GET publishes of a resident's report is the jurisdiction's choice: coordinates rounded,
the resident's words never, after the office's moderation, or always; GETs are throttled."""

from __future__ import annotations

import pytest

from civgrid.cases.models import Case
from civgrid.open311.actions import create_api_key, moderate
from civgrid.open311.models import Jurisdiction, Moderation

V2 = "/open311/v2"


@pytest.fixture
def code(client, world):
    raw = create_api_key("随手拍App")[1]
    data = {
        "api_key": raw,
        "service_code": "ZDJY",
        "lat": "33.6051234",
        "long": "114.6054321",
        "description": "国槐街12号门口堆了三天垃圾",
        "address_string": "国槐街12号",
    }
    return client.post(f"{V2}/requests.json", data).json()[0]["service_request_id"]


def read(client, code, **params):
    (row,) = client.get(f"{V2}/requests/{code}.json", params).json()
    return row


def test_by_default_the_point_is_rounded_and_the_text_waits_for_moderation(client, world, code):
    row = read(client, code)
    assert (row["lat"], row["long"]) == (33.605, 114.605)
    assert row["description"] is None and row["address"] is None
    listed = client.get(f"{V2}/requests.json").content.decode()
    assert "垃圾" not in listed and "33.6051234" not in listed


def test_the_office_moderation_publishes_the_text_with_who_and_when(client, world, code):
    case = Case.objects.get(tracking_code=code)
    moderate(case, actor=world.office.user, text_public=True)
    mark = Moderation.objects.get(case=case)
    assert mark.moderated_by == world.office.user and mark.moderated_at is not None
    assert read(client, code)["description"] == "国槐街12号门口堆了三天垃圾"
    moderate(case, actor=world.office.user, text_public=False)
    assert read(client, code)["description"] is None


def test_each_jurisdiction_chooses_what_it_publishes(client, world, code):
    Jurisdiction.objects.create(
        jurisdiction_id="open.example.gov.cn",
        name="公开",
        coordinate_decimals=2,
        text_publication="always",
    )
    Jurisdiction.objects.create(
        jurisdiction_id="closed.example.gov.cn", name="不公开", text_publication="never"
    )
    case = Case.objects.get(tracking_code=code)
    moderate(case, actor=world.office.user, text_public=True)
    open_row = read(client, code, jurisdiction_id="open.example.gov.cn")
    assert (open_row["lat"], open_row["description"]) == (33.61, "国槐街12号门口堆了三天垃圾")
    closed_row = read(client, code, jurisdiction_id="closed.example.gov.cn")
    assert closed_row["description"] is None and closed_row["address"] is None


def test_gets_are_throttled_per_client_ip(client, world, settings):
    settings.CIVGRID_PUBLIC_RATE_LIMITS = {"open311_read_ip": (2, 600)}
    for _n in range(2):
        assert client.get(f"{V2}/services.json").status_code == 200
    response = client.get(f"{V2}/requests.xml")
    assert response.status_code == 429 and response["Retry-After"]
    assert b"<errors>" in response.content


def test_the_moderation_admin_records_who_published(client, world, code):
    from civgrid.testing import PASSWORD

    world.office.user.is_staff = world.office.user.is_superuser = True
    world.office.user.save()
    client.login(username="office", password=PASSWORD)
    case = Case.objects.get(tracking_code=code)
    response = client.post("/admin/open311/moderation/add/", {"case": case.pk, "text_public": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    mark = Moderation.objects.get(case=case)
    assert mark.moderated_by == world.office.user and mark.text_public
