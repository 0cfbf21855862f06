"""Each role's start page (待办) and grouped menu in headless Chromium, on a phone and a desktop."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from playwright.sync_api import expect

from civgrid.cases.models import Case
from civgrid.nav import GROUPS
from civgrid.testing import drive, report
from civgrid.testing_browser import DESKTOP, PHONE, SHOTS, Console, log_in, zh

pytestmark = pytest.mark.browser

# The persona, a panel title they must see, and a menu group to open.
ROLES = [
    ("office", _("Waiting to be registered (待立案)"), "campaign"),
    ("clerk", _("Overdue (超期)"), "campaign"),
    ("leader", _("Overdue (超期)"), "field"),
    ("worker_a", _("Open cases in my grids (未办结)"), "field"),
]


def some_work(world) -> None:
    report(world)
    late = drive(report(world), world, "register", "assign", "accept")
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))


def test_each_roles_start_page_and_menu_work_on_a_phone_and_a_desktop(
    live_server, browser, live_world
):
    some_work(live_world)
    SHOTS.mkdir(parents=True, exist_ok=True)
    console = Console()
    with browser() as launched:
        for username, title, group in ROLES:
            for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                context, page = log_in(launched, console, live_server.url, username, viewport)
                expect(page.locator("h1")).to_have_text(zh(_("To do (待办)")))
                # The whole heading (title and count): "超期" alone is also in "超期升级".
                heading = re.compile(rf"^{re.escape(zh(title))}\s+\d+$")
                expect(page.get_by_role("heading", name=heading)).to_be_visible()
                page.screenshot(path=str(SHOTS / f"start-{username}-{size}.png"), full_page=True)

                menu = page.locator("#nav-menu")
                summary = page.locator(f'details[data-group="{group}"] > summary')
                first_link = page.locator(f'details[data-group="{group}"] .nav-panel a').first
                if viewport == PHONE:
                    # Folded behind the Menu button, which says so to screen readers.
                    toggle = page.get_by_role("button", name=zh(_("Menu")))
                    expect(menu).to_be_hidden()
                    toggle.click()
                    expect(toggle).to_have_attribute("aria-expanded", "true")
                    expect(menu).to_be_visible()
                else:
                    expect(page.get_by_role("button", name=zh(_("Menu")))).to_be_hidden()
                expect(summary).to_have_text(zh(GROUPS[group]))
                expect(first_link).to_be_hidden()
                summary.click()
                expect(first_link).to_be_visible()
                page.screenshot(path=str(SHOTS / f"menu-{username}-{size}.png"))
                page.keyboard.press("Escape")
                expect(first_link).to_be_hidden()
                expect(summary).to_be_focused()
                # Nothing sticks out sideways on a phone.
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"], (username, size, width)
                context.close()
    assert console.errors == []


def test_opening_one_menu_group_closes_the_other_and_a_tap_elsewhere_closes_it(
    live_server, browser, live_world
):
    console = Console()
    with browser() as launched:
        context, page = log_in(launched, console, live_server.url, "office", DESKTOP)
        campaign = page.locator('details[data-group="campaign"]')
        reports = page.locator('details[data-group="reports"]')
        campaign.locator("summary").click()
        expect(campaign).to_have_attribute("open", "")
        reports.locator("summary").click()
        expect(reports).to_have_attribute("open", "")
        expect(campaign).not_to_have_attribute("open", "")
        page.locator("h1").click()
        expect(reports).not_to_have_attribute("open", "")
        reports.locator("summary").click()
        reports.locator(".nav-panel a").first.click()
        page.wait_for_url(f"{live_server.url}/reports/**")
        context.close()
    assert console.errors == []
