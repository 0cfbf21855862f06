"""The report form (上报问题): location from coordinates or grid, idempotent sends, kept input."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from civgrid.cases.models import Case
from civgrid.cases.workflow import Status
from civgrid.testing import PASSWORD, photo_upload

REPORT = reverse("cases:report")


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def form_data(world, **overrides):
    data = {
        "category": world.category.pk,
        "urgency": "normal",
        "description": "国槐街路口占道经营",
        "longitude": "114.605",
        "latitude": "33.605",
        "grid": "",
        "address": "",
        "source": "patrol",
        "reporter_name": "",
        "reporter_phone": "",
        "client_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_the_form_has_a_client_key_camera_inputs_and_the_grids_map(client, world):
    html = login(client, world.worker_a).get(REPORT).content.decode()
    key = re.search(r'name="client_key" value="([0-9a-f-]{36})"', html)
    assert key, "a fresh client key is drawn into the page"
    assert re.search(r'name="photos" accept="image/\*" capture="environment" multiple', html)
    assert f'data-grids-url="{reverse("territory:grids_geojson")}"' in html
    assert "国槐街网格" in html and "富民社区网格" in html  # the grid select, the fallback
    assert "no-store" in client.get(REPORT)["Cache-Control"]


@pytest.mark.parametrize(
    ("who", "source"),
    [
        ("worker_a", "patrol"),
        ("inspector", "inspection"),
        ("office", "supervision"),
        ("clerk", "self_check"),
        ("resident", "resident"),
    ],
)
def test_the_source_defaults_by_role(client, world, who, source):
    html = login(client, getattr(world, who)).get(REPORT).content.decode()
    assert re.search(rf'<option value="{source}" selected>', html)


def test_only_roles_that_may_fix_on_the_spot_see_the_checkbox(client, world):
    assert 'name="fixed_on_spot"' in login(client, world.worker_a).get(REPORT).content.decode()
    client.logout()
    assert 'name="fixed_on_spot"' not in login(client, world.clerk).get(REPORT).content.decode()


def test_a_report_located_by_coordinates_lands_in_the_right_grid(client, world):
    login(client, world.worker_a)
    response = client.post(REPORT, form_data(world, photos=[photo_upload()]))
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.grid == world.grid_a and case.source == "patrol"
    assert case.photos.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert f"Reported. Tracking code {case.tracking_code}" in page
    assert "5 working days" in page  # the time limit, told at once


def test_coordinates_in_grid_b_put_the_case_in_grid_b(client, world):
    login(client, world.office)
    client.post(
        REPORT, form_data(world, source="supervision", longitude="114.615", latitude="33.605")
    )
    assert Case.objects.get().grid == world.grid_b


def test_the_grid_select_works_without_coordinates(client, world):
    login(client, world.office)
    data = form_data(world, source="supervision", longitude="", latitude="", grid=world.grid_b.pk)
    assert client.post(REPORT, data).status_code == 302
    assert Case.objects.get().grid == world.grid_b


def test_sending_the_same_form_twice_creates_one_case(client, world):
    login(client, world.worker_a)
    data = form_data(world)
    first = client.post(REPORT, data)
    second = client.post(REPORT, data)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]
    page = client.get(second["Location"]).content.decode()
    assert "had already been received" in page


def test_a_new_form_gets_a_new_key(client, world):
    login(client, world.worker_a)
    keys = {
        re.search(r'name="client_key" value="([^"]+)"', client.get(REPORT).content.decode())[1]
        for _ in range(2)
    }
    assert len(keys) == 2


def test_a_report_without_a_place_comes_back_with_the_error_and_everything_typed(client, world):
    login(client, world.worker_a)
    data = form_data(
        world,
        longitude="",
        latitude="",
        description="人民路井盖缺失，夜间危险",
        address="人民路88号",
        reporter_name="居民钱先生",
        reporter_phone="13912345678",
        urgency="urgent",
        photos=[photo_upload()],
    )
    response = client.post(REPORT, data)
    assert response.status_code == 400
    assert Case.objects.count() == 0
    html = response.content.decode()
    assert "Where is it?" in html
    for kept in (
        "人民路井盖缺失，夜间危险",
        'value="人民路88号"',
        'value="居民钱先生"',
        'value="13912345678"',
        f'value="{data["client_key"]}"',
    ):
        assert kept in html, kept
    assert re.search(r'value="urgent"[^>]*checked', html)
    assert "please choose them again" in html  # the photo could not be kept


def test_a_point_outside_every_grid_is_refused(client, world):
    login(client, world.worker_a)
    response = client.post(REPORT, form_data(world, longitude="120.0", latitude="30.0"))
    assert response.status_code == 400
    assert "Where is it?" in response.content.decode()


def test_a_bad_phone_number_is_an_error_on_that_field(client, world):
    login(client, world.worker_a)
    response = client.post(REPORT, form_data(world, reporter_phone="call me"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "The phone number may only contain digits." in html
    assert 'value="call me"' in html


def test_a_grid_worker_can_report_a_problem_fixed_on_the_spot(client, world):
    login(client, world.worker_a)
    data = form_data(world, fixed_on_spot="on", fix_note="已劝离", fix_photos=[photo_upload()])
    assert client.post(REPORT, data).status_code == 302
    case = Case.objects.get()
    assert case.status == Status.CLOSED and case.fixed_on_spot
    assert case.photos.filter(kind="evidence").count() == 1


def test_a_unit_clerk_cannot_slip_in_a_fix_on_the_spot(client, world):
    login(client, world.clerk)
    data = form_data(world, source="self_check", fixed_on_spot="on", fix_note="已处理")
    assert client.post(REPORT, data).status_code == 302
    assert Case.objects.get().status == Status.REPORTED  # the field is not on their form


def test_a_resident_reports_as_a_resident_with_their_name_and_phone(client, world):
    login(client, world.resident)
    html = client.get(REPORT).content.decode()
    assert 'value="居民赵女士"' in html and 'value="13812345678"' in html
    data = form_data(world, source="patrol", reporter_name="居民赵女士")
    response = client.post(REPORT, data)
    assert response.status_code == 400  # a resident cannot claim a patrol
    assert client.post(REPORT, {**data, "source": "resident"}).status_code == 302
    assert Case.objects.get().reporter == world.resident.user
