"""Two-factor login (TOTP) for office and admin accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from civgrid.testing import PASSWORD

LEDGER = "/cases/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    """A frozen clock that moves on by whole 30-second steps, so each code is a new one."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(code_for(device)) + 1) % 10**device.digits:06d}"


def enrol(client, user) -> TOTPDevice:
    client.force_login(user)
    page = client.get(reverse("org:two_factor"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("org:two_factor"), {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def password_step(client, username, password=PASSWORD, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_enrolment_page_shows_a_qr_code_and_the_manual_key(client, world):
    client.force_login(world.office.user)
    page = client.get(reverse("org:two_factor"))
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=world.office.user)
    assert "<svg" in body
    assert page.context["key"].replace(" ", "") in device.config_url
    assert "issuer=civgrid" in device.config_url
    # A reload shows the same key until it is confirmed.
    assert client.get(reverse("org:two_factor")).context["key"] == page.context["key"]


def test_a_wrong_code_does_not_turn_two_factor_on(client, world, clock):
    client.force_login(world.office.user)
    client.get(reverse("org:two_factor"))
    device = TOTPDevice.objects.get(user=world.office.user)
    response = client.post(reverse("org:two_factor"), {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_enrol_log_out_then_login_needs_the_right_code(client, world, clock):
    device = enrol(client, world.office.user)
    client.post(reverse("logout"))
    clock.shift(timedelta(seconds=30))  # the enrolment's code may not be used twice

    response = password_step(client, "office", next_url="/reports/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login_code")
    assert not logged_in(client)  # the password alone does not log in

    refused = client.post(reverse("login_code"), {"code": wrong_code(device)})
    assert refused.status_code == 200
    assert "That code is not right" in refused.content.decode()
    assert not logged_in(client)

    clock.shift(timedelta(seconds=30))  # django-otp slows down retries after a wrong code
    accepted = client.post(reverse("login_code"), {"code": code_for(device)})
    assert accepted.status_code == 302
    assert accepted["Location"] == "/reports/"
    assert logged_in(client)
    assert client.get(LEDGER).status_code == 200


def test_wrong_codes_count_toward_the_lockout(client, world, clock):
    device = enrol(client, world.office.user)
    client.post(reverse("logout"))
    password_step(client, "office")
    answers = []
    for _ in range(5):
        clock.shift(timedelta(minutes=1))
        answers.append(client.post(reverse("login_code"), {"code": wrong_code(device)}))
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().failures_since_start == 5
    clock.shift(timedelta(minutes=1))
    refused = client.post(reverse("login_code"), {"code": code_for(device)})
    assert refused.status_code == 429  # the right code, but locked out
    assert not logged_in(client)
    assert password_step(client, "office").status_code == 429  # and so is the password step


def test_the_code_step_without_a_password_goes_back_to_the_login(client, world):
    response = client.post(reverse("login_code"), {"code": "123456"})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_accounts_without_a_device_log_in_with_the_password_alone(client, world):
    response = password_step(client, "worker_a")
    assert response.status_code == 302
    assert logged_in(client)


def token_request(client, **extra):
    return client.post(
        reverse("api:token"),
        {"username": "office", "password": PASSWORD, **extra},
        content_type="application/json",
    )


def test_an_api_token_for_an_enrolled_account_needs_the_code(client, world, clock):
    device = enrol(client, world.office.user)
    client.post(reverse("logout"))
    missing = token_request(client)
    assert missing.status_code == 400
    assert missing.json()["field"] == "otp"
    assert "token" not in missing.json()
    clock.shift(timedelta(seconds=30))
    assert token_request(client, otp=wrong_code(device)).status_code == 400
    clock.shift(timedelta(seconds=30))
    response = token_request(client, otp=code_for(device))
    assert response.status_code == 200
    token = response.json()["token"]
    assert client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


def test_wrong_api_codes_count_toward_the_lockout(client, world, clock, settings):
    device = enrol(client, world.office.user)
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        clock.shift(timedelta(seconds=30))
        token_request(client, otp=wrong_code(device))
    clock.shift(timedelta(seconds=30))
    assert token_request(client, otp=code_for(device)).status_code == 429


def test_accounts_without_two_factor_get_a_token_with_the_password(client, world):
    response = token_request(client)
    assert response.status_code == 200


def test_only_office_and_admin_accounts_are_offered_two_factor(client, world):
    client.force_login(world.worker_a.user)
    assert client.get(reverse("org:two_factor")).status_code == 403
    staff = get_user_model().objects.create_user("staffer", password=PASSWORD, is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("org:two_factor")).status_code == 200


def test_the_admin_requires_a_verified_session_for_enrolled_staff(client, db, clock):
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    device = enrol(client, root)
    assert client.get(reverse("admin:index")).status_code == 200  # enrolment verified it
    client.post(reverse("logout"))
    client.force_login(root)  # a session that never showed a code
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not logged_in(client)
    clock.shift(timedelta(seconds=30))
    assert password_step(client, "root", next_url="/admin/")["Location"] == reverse("login_code")
    assert client.post(reverse("login_code"), {"code": code_for(device)})["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_without_a_device_reach_the_admin_as_before(client, db):
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_is_the_login_page(client, db):
    response = client.get(reverse("admin:login") + "?next=/admin/auth/user/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/admin/auth/user/"
    refused = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    assert refused.status_code == 405


def test_an_administrator_recovers_a_lost_phone_by_removing_the_device(client, world, clock):
    enrol(client, world.office.user)
    client.post(reverse("logout"))
    TOTPDevice.objects.filter(user=world.office.user).delete()  # admin → TOTP devices → delete
    assert password_step(client, "office").status_code == 302
    assert logged_in(client)


def test_with_require_2fa_office_and_admin_accounts_enrol_before_anything_else(
    client, world, settings, clock
):
    settings.CIVGRID_REQUIRE_2FA = True
    client.force_login(world.office.user)
    response = client.get("/reports/")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:two_factor") + "?next=%2Freports%2F"
    device = TOTPDevice.objects.filter(user=world.office.user).first()
    assert device is None
    client.get(reverse("org:two_factor"))
    device = TOTPDevice.objects.get(user=world.office.user)
    done = client.post(reverse("org:two_factor"), {"code": code_for(device), "next": "/reports/"})
    assert done["Location"] == "/reports/"
    assert client.get("/reports/").status_code == 200
    # Other roles are not asked.
    client.force_login(world.worker_a.user)
    assert client.get(LEDGER).status_code == 200


def test_without_require_2fa_nobody_is_sent_to_enrolment(client, world):
    client.force_login(world.office.user)
    assert client.get(LEDGER).status_code == 200


def test_the_enrolment_and_code_pages_are_in_chinese_first(client, world, clock):
    client.force_login(world.office.user)
    page = client.get(reverse("org:two_factor"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "开启双因素登录" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.office.user)
    client.post(reverse("org:two_factor"), {"code": code_for(device)})
    client.post(reverse("logout"))
    password_step(client, "office")
    code_page = client.get(reverse("login_code"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "已开启双因素登录" in code_page.content.decode()
