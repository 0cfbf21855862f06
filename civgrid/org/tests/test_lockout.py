"""Lockout after repeated failed logins (django-axes), on every door: page, admin, API token.

The client address is civgrid.lib.clientip's: X-Forwarded-For counts only when
CIVGRID_CLIENT_IP_HEADER names it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from civgrid.lib.clientip import client_ip
from civgrid.testing import PASSWORD

WRONG = "not-the-password"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """REST framework's throttles count in the cache, which outlives a test's transaction."""
    cache.clear()
    yield
    cache.clear()


def page_login(client, username, password, next="", **headers):
    data = {"username": username, "password": password, "next": next}
    return client.post(reverse("login"), data, **headers)


def token(client, username, password, **headers):
    return client.post(
        reverse("api:token"),
        {"username": username, "password": password},
        content_type="application/json",
        **headers,
    )


def test_thirty_wrong_passwords_then_the_right_one_is_refused_on_the_login_page(client, world):
    answers = [page_login(client, "office", WRONG).status_code for _ in range(30)]
    assert answers[:4] == [200] * 4  # the form again, "did not match"
    assert set(answers[4:]) == {429}  # the fifth failure locks the account from this address
    response = page_login(client, "office", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert int(response["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session


def test_the_lockout_message_is_translated_and_names_the_local_time_to_retry(client, world):
    with time_machine.travel(datetime(2026, 3, 2, 1, 0, tzinfo=UTC), tick=False):
        for _ in range(5):
            page_login(client, "office", WRONG)
        response = page_login(client, "office", PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert "登录失败次数过多" in body
    assert "09:15" in body  # 01:00 UTC is 09:00 in Beijing, plus the 15-minute cool-off


def test_thirty_wrong_passwords_then_the_right_one_is_refused_on_the_admin_login(client, db):
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    # The admin sends to the login page (one door, with the lockout and the code step).
    url = client.get("/admin/")["Location"]
    assert client.get(url)["Location"] == f"{reverse('login')}?next=/admin/"
    for _ in range(30):
        page_login(client, "root", WRONG, next="/admin/")
    response = page_login(client, "root", PASSWORD, next="/admin/")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_thirty_wrong_passwords_then_the_right_one_is_refused_on_the_api_token(client, world):
    answers = [token(client, "worker_a", WRONG) for _ in range(30)]
    assert answers[0].status_code == 400
    assert answers[-1].status_code == 429
    assert answers[-1].json()["error"] == "locked_out"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):  # past the rate throttle
        response = token(client, "worker_a", PASSWORD)
    assert response.status_code == 429
    assert response.json()["error"] == "locked_out"
    assert "token" not in response.json()
    assert int(response["Retry-After"]) > 0


def test_a_success_resets_the_count(client, world):
    for _ in range(4):
        page_login(client, "office", WRONG)
    assert page_login(client, "office", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        page_login(client, "office", WRONG)
    assert page_login(client, "office", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, world):
    for _ in range(5):
        page_login(client, "office", WRONG)
    assert page_login(client, "office", PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert page_login(client, "office", PASSWORD).status_code == 302


def test_rotating_x_forwarded_for_does_not_bypass_the_lockout_without_the_setting(client, world):
    for n in range(30):
        page_login(client, "office", WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = page_login(client, "office", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_rotating_x_forwarded_for_does_not_bypass_the_token_throttle(client, world):
    # A new user name each time, so only the throttle per address (30 a minute) can refuse.
    answers = [
        token(client, f"guess{n}", WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") for n in range(31)
    ]
    assert [a.status_code for a in answers[:30]] == [400] * 30
    assert answers[30].status_code == 429
    assert answers[30].json()["error"] == "throttled"


def test_with_the_setting_the_named_header_gives_the_address(client, world, settings):
    settings.CIVGRID_CLIENT_IP_HEADER = "X-Forwarded-For"
    for _ in range(5):
        page_login(client, "office", WRONG, HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.1")
    assert AccessAttempt.objects.get().ip_address == "192.0.2.1"  # the entry our proxy added
    # Another client behind the same proxy is another address: not locked out.
    other = page_login(client, "office", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert other.status_code == 302


def test_the_client_address_ignores_forwarding_headers_unless_named(settings):
    request = RequestFactory().get(
        "/",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 1.1.1.1",
        HTTP_X_REAL_IP="7.7.7.7",
    )
    assert client_ip(request) == "10.0.0.2"
    settings.CIVGRID_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(request) == "7.7.7.7"
    settings.CIVGRID_CLIENT_IP_HEADER = "X-Forwarded-For"
    assert client_ip(request) == "1.1.1.1"


def test_a_header_value_that_is_not_an_address_falls_back_to_the_socket(settings):
    settings.CIVGRID_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="'; drop table")
    assert client_ip(request) == "10.0.0.2"


def test_axes_reset_unlocks_every_account(client, world):
    for _ in range(5):
        page_login(client, "office", WRONG)
    call_command("axes_reset", stdout=None)
    assert page_login(client, "office", PASSWORD).status_code == 302


def test_the_personas_are_not_locked_out_by_an_earlier_test(client, world):
    # test_thirty_wrong_passwords... above locked "office" out from 127.0.0.1.
    assert page_login(client, "office", PASSWORD).status_code == 302
    assert token(client, "worker_a", PASSWORD).status_code == 200
