"""The volunteer pages: scope (404), masked numbers, the phone's scan endpoint, joining."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from civgrid.testing import PASSWORD
from civgrid.volunteers import actions
from civgrid.volunteers.models import Participation, Volunteer
from civgrid.volunteers.tests.factories import (
    id_number,
    make_activity,
    make_service_category,
    make_volunteer,
)

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def now_activity(world):
    """An activity under way, published by grid worker A, with one volunteer signed up."""
    start = timezone.now() - dt.timedelta(minutes=20)
    activity = make_activity(world.grid_a, by=world.worker_a.user, starts_at=start, now=start)
    vol = make_volunteer(world.grid_a, by=world.office.user, phone="13812345678")
    actions.sign_up(actor=vol.user, activity=activity)
    return activity, vol


def test_the_organiser_sees_attendees_with_masked_phones_and_the_office_in_full(
    client, world, now_activity
):
    activity, _vol = now_activity
    page = as_user(client, world.worker_a.user).get(
        reverse("volunteers:activity", args=[activity.pk])
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "138****5678" in body and "13812345678" not in body and "<svg" in body
    body = (
        as_user(client, world.office.user)
        .get(reverse("volunteers:activity", args=[activity.pk]))
        .content.decode()
    )
    assert "13812345678" in body


def test_district_two_gets_404_on_district_one_pages_and_the_city_office_sees_them(client, city):
    vol = make_volunteer(city.grid_a, by=city.office.user)
    activity = make_activity(city.grid_a, by=city.office.user)
    pages = [
        reverse("volunteers:volunteer", args=[vol.pk]),
        reverse("volunteers:activity", args=[activity.pk]),
    ]
    for url in pages:
        assert as_user(client, city.office2.user).get(url).status_code == 404
        assert as_user(client, city.city_office.user).get(url).status_code == 200
    register = as_user(client, city.office2.user).get(reverse("volunteers:register"))
    assert vol.name not in register.content.decode()


def test_a_scan_from_the_phone_is_recorded_once_and_a_second_one_refused(
    client, world, now_activity
):
    activity, vol = now_activity
    url = reverse("volunteers:scan_post", args=[activity.code])
    c = as_user(client, vol.user)
    fields = {"step": "check_in", "longitude": "114.605", "latitude": "33.605"}
    first = c.post(url, fields, HTTP_IDEMPOTENCY_KEY="key-1")
    assert first.status_code == 201 and first.json()["flags"] == []
    assert c.post(url, fields, HTTP_IDEMPOTENCY_KEY="key-1").status_code == 200
    again = c.post(url, fields, HTTP_IDEMPOTENCY_KEY="key-2")
    assert again.status_code == 400 and "Already checked in" in again.json()["message"]
    assert Participation.objects.get().check_in_key == "key-1"
    bad = c.post(reverse("volunteers:scan_post", args=["nope"]), fields)
    assert bad.status_code == 400


def test_scanning_the_poster_without_being_a_volunteer_leads_to_joining(
    client, world, now_activity
):
    activity, _vol = now_activity
    scan = reverse("volunteers:scan", args=[activity.code])
    assert client.get(scan)["Location"].startswith(reverse("login"))
    answer = as_user(client, world.resident.user).get(scan)
    assert answer["Location"] == f"{reverse('volunteers:join')}?next={scan}"


def test_joining_makes_an_account_and_a_registration_waiting_for_approval(client, world):
    answer = client.post(
        reverse("volunteers:join"),
        {
            "name": "周晓梅",
            "phone": "13700001234",
            "id_number": id_number(77),
            "region": world.grid_a.pk,
            "political_status": "party",
            "password": PASSWORD,
        },
    )
    assert answer.status_code == 302
    vol = Volunteer.objects.get(name="周晓梅")
    assert vol.status == Volunteer.Status.PENDING and vol.user.username == "13700001234"
    assert vol.user.person.role == "resident"
    assert client.get(reverse("volunteers:me")).status_code == 200
    start = as_user(client, world.worker_a.user).get(reverse("start")).content.decode()
    assert "周晓梅" in start  # the community's start page lists the registration to approve


def test_a_volunteer_sees_their_hours_and_level_on_their_own_page(client, world):
    vol = make_volunteer(world.grid_a, by=world.office.user)
    body = as_user(client, vol.user).get(reverse("volunteers:me")).content.decode()
    assert "0" in body and vol.masked_id_number() in body and vol.id_number not in body


def test_the_office_publishes_an_activity_from_the_form(client, world):
    category = make_service_category()
    answer = as_user(client, world.office.user).post(
        reverse("volunteers:publish"),
        {
            "title": "公园消防安全宣传",
            "category": category.pk,
            "region": world.grid_a.pk,
            "place": "人民公园",
            "starts_at": "2030-05-01T09:00",
            "ends_at": "2030-05-01T11:30",
            "places": "30",
        },
    )
    assert answer.status_code == 302
    assert as_user(client, world.clerk.user).get(answer["Location"]).status_code == 404


def test_the_community_approves_a_registration_from_its_page(client, world):
    pending = actions.register_volunteer(
        actor=None, name="刘芳", phone="13900002222", id_number=id_number(88), region=world.grid_a
    )
    url = reverse("volunteers:volunteer", args=[pending.pk])
    assert (
        as_user(client, world.worker_b.user).post(url, {"decision": "approve"}).status_code == 404
    )
    as_user(client, world.worker_a.user).post(url, {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.status == Volunteer.Status.ACTIVE and pending.approved_by == world.worker_a.user


def test_the_import_page_lists_row_errors_and_imports_nothing(client, world):
    from civgrid.volunteers.tests.test_import import workbook

    data = workbook(("张桂兰", "13900000001", "123", world.grid_a.code, "", ""))
    upload = SimpleUploadedFile("v.xlsx", data)
    page = as_user(client, world.office.user).post(reverse("volunteers:import"), {"file": upload})
    assert page.status_code == 200 and "import-report" in page.content.decode()
    assert not Volunteer.objects.exists()
    assert as_user(client, world.clerk.user).get(reverse("volunteers:import")).status_code == 403
