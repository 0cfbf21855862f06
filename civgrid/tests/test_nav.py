"""The main menu gathers each app's links (AppConfig.nav), shows each role only its own, and
groups them by task (civgrid.nav.GROUPS)."""

import re

import pytest
from django.apps import apps
from django.test import override_settings
from django.urls import reverse

from civgrid.nav import GROUPS, NavItem, menu_for
from civgrid.org.models import Role
from civgrid.testing import PASSWORD

ALL_ROLES = {role.value for role in Role}


def nav(html: str) -> str:
    return re.search(r'<nav class="nav".*?</nav>', html, re.S).group(0)


def test_an_apps_menu_link_shows_for_its_roles_only(client, world, monkeypatch):
    config = apps.get_app_config("worklogs")
    link = NavItem(
        "cases:ledger", "Menu link under test", frozenset({"office"}), "?overdue=yes", "reports"
    )
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
    assert "nav-primary" not in page and "nav-group" not in page


def test_every_menu_link_belongs_to_a_known_group_and_names_known_roles():
    items = [(c.label, item) for c in apps.get_app_configs() for item in getattr(c, "nav", ())]
    assert items
    for app, item in items:
        assert item.group in GROUPS, (app, item.url_name, item.group)
        assert item.roles and item.roles <= ALL_ROLES, (app, item.url_name)
        reverse(item.url_name)  # a link that does not resolve fails here, not on a page


# What each role's menu holds, group by group (the start page link comes before them all).
EXPECTED = {
    "office": ["ledger", "campaign", "field", "reports", "settings"],
    "inspector": ["ledger", "campaign", "field", "reports"],
    "leader": ["ledger", "campaign", "field", "reports"],
    "unit_clerk": ["ledger", "campaign", "field", "reports"],  # field: volunteer activities
    "grid_worker": ["ledger", "field"],
    "resident": ["ledger", "field"],  # field: my volunteering (志愿服务)
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_roles_menu_is_grouped_by_task(role):
    assert [group.key for group in menu_for(role)] == EXPECTED[role]


def test_the_office_menu_folds_its_many_links_into_five_groups(client, world):
    groups = menu_for("office")
    assert sum(len(group.links) for group in groups) > 15
    assert client.login(username="office", password=PASSWORD)

    html = nav(client.get(reverse("start")).content.decode())

    assert html.count('<details class="nav-group"') == 5
    for group in groups:
        assert str(group.label) in html
    assert 'aria-controls="nav-menu"' in html  # the phone's menu button
    assert f'href="{reverse("start")}"' in html


def test_the_unit_clerk_finds_the_cases_to_accept_under_the_ledger(client, world):
    ledger = {str(label): href for href, label in menu_for("unit_clerk")[0].links}
    assert ledger["To accept"] == reverse("cases:ledger") + "?status=assigned"
    assert ledger["Rework"] == reverse("cases:ledger") + "?status=rework"


def test_a_group_of_one_link_is_a_plain_link_not_a_drop_down(client, world):
    assert client.login(username="resident", password=PASSWORD)

    html = nav(client.get(reverse("cases:ledger")).content.decode())

    assert "nav-group" not in html
    assert f'<a href="{reverse("cases:ledger")}" class="nav-single" data-group="ledger">' in html


def test_the_admin_link_is_in_the_settings_group_for_staff_only(world):
    admin = reverse("admin:index")
    settings = menu_for("office", is_staff=True)[-1]
    assert settings.key == "settings" and admin in [href for href, _ in settings.links]
    assert admin not in [href for g in menu_for("office") for href, _ in g.links]


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_menu_groups_read_in_chinese(client, world):
    assert client.login(username="office", password=PASSWORD)
    html = nav(client.get(reverse("start")).content.decode())
    for name in ("台账", "创建测评", "走访巡查", "统计通报", "系统设置", "菜单", "待办"):
        assert name in html
