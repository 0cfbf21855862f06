"""Logging in and out, the top bar, the language switch, and what anonymous visitors get."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from civgrid.testing import PASSWORD, photo_upload, report


@pytest.mark.parametrize(
    "url",
    [
        lambda c: reverse("cases:ledger"),
        lambda c: reverse("cases:report"),
        lambda c: reverse("cases:detail", args=[c.pk]),
        lambda c: reverse("cases:photo", args=[c.pk, c.photos.get().pk]),
    ],
    ids=["ledger", "report", "detail", "photo"],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, world, url):
    case = report(world, photos=[photo_upload()])
    target = url(case)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={target}"


def test_an_anonymous_post_to_an_action_changes_nothing(client, world):
    case = report(world)
    response = client.post(reverse("cases:act", args=[case.pk, "register"]), {"version": 1})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    case.refresh_from_db()
    assert case.status == "reported"


def test_the_login_page_logs_in_and_lands_on_the_start_page(client, world):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()
    response = client.post(reverse("login"), {"username": "office", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("start")


def test_a_wrong_password_shows_an_error_and_keeps_the_user_name(client, world):
    response = client.post(reverse("login"), {"username": "office", "password": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error"' in html and 'value="office"' in html


def test_the_top_bar_shows_name_role_links_by_role_and_a_logout_form(client, world):
    client.login(username="worker_a", password=PASSWORD)
    html = client.get(reverse("cases:ledger")).content.decode()
    assert "网格员甲" in html and "Grid worker (网格员)" in html
    assert f'<form method="post" action="{reverse("logout")}"' in html
    assert 'class="nav-primary"' in nav(html)  # a grid worker's first link: the report form
    assert "?status=submitted" not in nav(html)
    client.logout()
    client.login(username="inspector", password=PASSWORD)
    assert "?status=submitted" in nav(client.get(reverse("cases:ledger")).content.decode())


def nav(html: str) -> str:
    return re.search(r'<nav class="nav".*?</nav>', html, re.S).group(0)


def test_logging_out_is_a_post(client, world):
    client.login(username="office", password=PASSWORD)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("cases:ledger")).status_code == 302


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_language_switch_changes_the_page_language(client, world):
    client.login(username="office", password=PASSWORD)
    html = client.get(reverse("cases:ledger")).content.decode()
    assert f'action="{reverse("set_language")}"' in html and 'lang="zh-Hans"' in html
    response = client.post(reverse("set_language"), {"language": "en", "next": "/cases/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get(reverse("cases:ledger")).content.decode()
