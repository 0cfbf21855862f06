"""The public report page (群众反映): no account, a tracking code and an answer-by date, the
case on the ledger of the right grid; bad photos and floods refused with nothing stored."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.urls import reverse

from civgrid.cases.models import Case, CaseEvent, CasePhoto
from civgrid.cases.queries import cases_for_user
from civgrid.public.models import PublicReport
from civgrid.testing import PASSWORD, jpeg_with_exif, make_site, photo_upload

REPORT = reverse("public:report")
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def form_data(world, **overrides):
    data = {
        "category": world.category.pk,
        "description": "小区门口垃圾堆了三天没人清",
        "longitude": "114.605",
        "latitude": "33.605",
        "grid": "",
        "site": "",
        "address": "国槐街12号",
        "reporter_name": "王先生",
        "reporter_phone": "13900001111",
        "website": "",
        "client_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


# Wednesday 2025-03-05 10:00 in Shanghai: 5 working days (the category's normal rule) end on
# Wednesday 2025-03-12, so the answer is promised by that day, i.e. before 2025-03-13 00:00.
@time_machine.travel(dt.datetime(2025, 3, 5, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_a_public_report_gives_a_tracking_code_and_answer_date_and_lands_in_the_grid(client, world):
    response = client.post(REPORT, form_data(world, photos=[photo_upload()]))
    assert response.status_code == 302
    case = Case.objects.get()
    report = PublicReport.objects.get(case=case)
    assert response["Location"].startswith(f"/public/r/{case.tracking_code}/")
    assert case.source == "resident" and case.reporter is None and case.created_by is None
    assert case.grid == world.grid_a and case.reporter_phone == "13900001111"
    assert report.channel == "web" and report.promised_on == dt.date(2025, 3, 12)
    assert report.promised_answer_by == dt.datetime(2025, 3, 13, 0, 0, tzinfo=SHANGHAI)
    assert report.ip_hash and "127.0.0.1" not in report.ip_hash
    event = CaseEvent.objects.get(case=case)
    assert event.actor is None and event.actor_name == "Resident (public page)"
    assert event.data["channel"] == "web"
    assert case.photos.count() == 1

    page = client.get(response["Location"]).content.decode()
    assert case.tracking_code in page and "2025-03-12" in page
    assert "13900001111" not in page and "王先生" not in page

    # The grid worker of grid A has it in scope and on the ledger page; B's worker does not.
    assert case in cases_for_user(world.worker_a.user)
    assert case not in cases_for_user(world.worker_b.user)
    client.logout()
    assert client.login(username="worker_a", password=PASSWORD)
    assert case.tracking_code in client.get(reverse("cases:ledger")).content.decode()


def test_a_qr_code_of_a_site_preselects_the_site_and_its_grid(client, world):
    site = make_site(world.grid_b, name="富民菜市场", code="S-FM-01")
    page = client.get(REPORT, {"site": "S-FM-01"}).content.decode()
    assert "富民菜市场" in page
    assert re.search(rf'<option value="{world.grid_b.pk}" selected>', page)
    response = client.post(REPORT, form_data(world, longitude="", latitude="", site=site.code))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.site == site and case.grid == world.grid_b


def test_a_grid_code_preselects_the_grid(client, world):
    page = client.get(REPORT, {"grid": world.grid_a.code}).content.decode()
    assert re.search(rf'<option value="{world.grid_a.pk}" selected>', page)
    assert "csrfmiddlewaretoken" in page and 'name="website"' in page


def test_a_report_without_a_place_is_refused_with_the_field_named(client, world):
    response = client.post(REPORT, form_data(world, longitude="", latitude=""))
    assert response.status_code == 400
    assert "Where is it?" in response.content.decode()
    assert not Case.objects.exists() and not PublicReport.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (photo_upload("notes.png", b"this is not an image at all"), "not a readable image"),
        (photo_upload("huge.png", b"\x89PNG" + b"0" * 2048), "larger than"),
    ],
)
def test_a_bad_photo_is_refused_with_a_clear_message_and_nothing_stored(
    client, world, settings, upload, message
):
    settings.CIVGRID_PHOTO_MAX_BYTES = 1024
    response = client.post(REPORT, form_data(world, photos=[upload]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "was refused" in body and message in body
    assert upload.name in body
    assert not Case.objects.exists() and not CasePhoto.objects.exists()
    assert not PublicReport.objects.exists()


def test_photo_metadata_is_stripped(client, world):
    upload = photo_upload("phone.jpg", jpeg_with_exif())
    assert client.post(REPORT, form_data(world, photos=[upload])).status_code == 302
    stored = CasePhoto.objects.get().image.read()
    assert b"PhoneMaker" not in stored and b"Exif" not in stored


def test_the_honeypot_refuses_bots_without_storing(client, world):
    response = client.post(REPORT, form_data(world, website="http://spam.example"))
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_resent_form_returns_the_same_case_with_a_new_private_link(client, world):
    data = form_data(world)
    first = client.post(REPORT, data)
    second = client.post(REPORT, data)
    assert Case.objects.count() == 1
    assert "new=1" in first["Location"] and "again=1" in second["Location"]
    assert first["Location"].split("?")[0] != second["Location"].split("?")[0]
    # Only the newest link works: the token was rotated.
    assert client.get(first["Location"]).status_code == 404
    assert client.get(second["Location"]).status_code == 200


def test_reports_from_one_address_are_limited_with_a_429_and_nothing_stored(
    client, world, settings
):
    settings.CIVGRID_PUBLIC_RATE_LIMITS = {"report_ip": (2, 3600)}
    for _n in range(2):
        assert client.post(REPORT, form_data(world)).status_code == 302
    response = client.post(REPORT, form_data(world))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert "Too many requests" in response.content.decode()
    assert Case.objects.count() == 2


def test_reports_giving_one_phone_number_are_limited(client, world, settings):
    settings.CIVGRID_PUBLIC_RATE_LIMITS = {"report_phone": (1, 86400)}
    assert client.post(REPORT, form_data(world)).status_code == 302
    response = client.post(REPORT, form_data(world, reporter_phone="139-0000-1111"))
    assert response.status_code == 429
    other = client.post(REPORT, form_data(world, reporter_phone="13700002222"))
    assert other.status_code == 302
    assert Case.objects.count() == 2


def test_the_public_grid_map_shows_outlines_and_names_only(client, world):
    data = client.get(reverse("public:grids_geojson")).json()
    names = {f["properties"]["name"] for f in data["features"]}
    assert names == {"国槐街网格", "富民社区网格"}
    assert set(data["features"][0]["properties"]) == {"id", "code", "name", "area"}


def test_a_form_resent_from_another_browser_gets_no_link_and_keeps_the_reporters(
    client, world, django_user_model
):
    from django.test import Client

    data = form_data(world)
    client.get(REPORT)  # the reporter's browser opens the form, then sends it
    first = client.post(REPORT, data)
    other = Client()
    stolen = other.post(REPORT, data)
    assert stolen.status_code == 400 and "Location" not in stolen
    assert Case.objects.count() == 1
    assert client.get(first["Location"]).status_code == 200
    again = client.post(REPORT, data)
    assert "again=1" in again["Location"]


def test_the_form_tells_residents_what_becomes_public(client, world):
    from civgrid.open311.models import Jurisdiction

    page = client.get(REPORT).content.decode()
    assert "data-public-notice" in page
    assert "about 111 m" in page and "after the campaign office has checked" in page
    assert "Your name, phone number and photos are never published" in page
    Jurisdiction.objects.create(jurisdiction_id="x.gov.cn", name="x", text_publication="never")
    page = client.get(REPORT).content.decode()
    assert "Your description and address are not published" in page


def test_a_grid_chosen_with_a_map_point_far_outside_it_is_refused_and_nothing_stored(client, world):
    far = form_data(world, grid=world.grid_a.pk, longitude="113.0", latitude="34.5")
    response = client.post(REPORT, far)
    assert response.status_code == 400 and not Case.objects.exists()
    assert "outside this grid" in response.content.decode()
    near = form_data(world, grid=world.grid_a.pk)
    assert client.post(REPORT, near).status_code == 302
