"""The main menu gathers each app's links (AppConfig.nav) and shows each role only its own."""

from django.apps import apps
from django.urls import reverse

from civgrid.nav import NavItem
from civgrid.testing import PASSWORD


def test_an_apps_menu_link_shows_for_its_roles_only(client, world, monkeypatch):
    config = apps.get_app_config("worklogs")
    link = NavItem("cases:ledger", "Menu link under test", frozenset({"office"}), "?overdue=yes")
    monkeypatch.setattr(config, "nav", (*config.nav, link))
    href = reverse("cases:ledger") + "?overdue=yes"

    assert client.login(username="office", password=PASSWORD)
    page = client.get(reverse("cases:ledger")).content.decode()
    assert f'<a href="{href}">Menu link under test</a>' in page

    assert client.login(username="worker_a", password=PASSWORD)
    page = client.get(reverse("cases:ledger")).content.decode()
    assert "Menu link under test" not in page


def test_anonymous_pages_have_no_app_menu(client, world):
    page = client.get(reverse("login")).content.decode()
    assert "nav-primary" not in page
