"""The start page (待办): every role lands on it and sees the panels apps provide for it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import override_settings
from django.urls import reverse

from civgrid.testing import PASSWORD, report
from civgrid.todo import Panel, PanelItem


def panel_from_another_app(user, role, now):
    """A panel as another app (e.g. notices) would add one: shown for the office only."""
    if role != "office":
        return None
    item = PanelItem("Escalated case", "/cases/", "overdue 5 working days", "danger")
    return Panel("Escalations under test", 1, "/cases/?overdue=yes", (item,), "danger", order=5)


def test_the_root_address_is_the_start_page(client, world):
    assert client.login(username="clerk", password=PASSWORD)
    response = client.get("/")
    assert response.status_code == 200
    assert response.resolver_match.view_name == "start"


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(reverse("start"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "username", ["office", "inspector", "leader", "clerk", "worker_a", "resident"]
)
def test_every_role_lands_on_the_start_page_with_the_ledger_one_click_away(client, world, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response["Location"] == reverse("start")

    page = client.get(reverse("start")).content.decode()

    assert 'class="card todo-panel' in page
    assert f'<a class="btn" href="{reverse("cases:ledger")}">' in page


def test_panels_of_any_app_show_in_their_order(client, world, monkeypatch):
    config = apps.get_app_config("notices")
    monkeypatch.setattr(
        config,
        "todo_panels",
        ("civgrid.tests.test_start_page.panel_from_another_app",),
        raising=False,
    )
    report(world)
    assert client.login(username="office", password=PASSWORD)

    page = client.get(reverse("start")).content.decode()

    assert page.index("Escalations under test") < page.index("Waiting to be registered")
    assert "overdue 5 working days" in page and 'class="todo-danger"' in page

    assert client.login(username="clerk", password=PASSWORD)
    assert "Escalations under test" not in client.get(reverse("start")).content.decode()


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_start_page_reads_in_chinese(client, world):
    for _ in range(6):
        report(world)
    assert client.login(username="office", password=PASSWORD)

    page = client.get(reverse("start")).content.decode()

    assert "<h1>待办</h1>" in page and "待立案" in page and "查看全部6件" in page
