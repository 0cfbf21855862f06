"""A case from a phone report to 销号, clicked through the real pages in headless Chromium.

Needs Debian's Chromium at /usr/bin/chromium (`make browser`); without it the test fails
rather than skips, so a machine that cannot run it is noticed. Screenshots of the phone report
page and the case page go to /tmp/civgrid-shots/ for a human to look at.
"""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import (
    Browser,
    Page,
    expect,
)

from civgrid.cases.models import Case
from civgrid.cases.workflow import TRANSITIONS, Status
from civgrid.testing import png_bytes
from civgrid.testing_browser import DESKTOP, PHONE, SHOTS, Console, log_in, zh

pytestmark = pytest.mark.browser


def do_action(page: Page, name: str, status: str, fill=None) -> None:
    """Open an action's form on the case page, fill it, send it, wait for the new status."""
    details = page.locator(f"details#action-{name}")
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    form = details.locator("form")
    if fill:
        fill(form)
    form.locator("button[type=submit]").click()
    expect(page.locator(f'#case .case-head [data-status="{status}"]')).to_be_visible()


def test_a_phone_report_walks_to_closed_through_the_pages(live_server, browser, live_world):
    with browser() as launched:
        walk_a_case_to_closed(launched, live_server.url, live_world)


def walk_a_case_to_closed(browser: Browser, base: str, world) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    console = Console()
    photo = {
        "name": "problem.png",
        "mimeType": "image/png",
        "buffer": png_bytes("orange", (320, 240)),
    }

    # 1. The grid worker, on a phone, reports with a photo and a tap on the map.
    context, page = log_in(browser, console, base, "worker_a", PHONE)
    page.click("nav a.nav-primary")
    page.wait_for_url(f"{base}/cases/report/")
    page.select_option("#id_category", str(world.category.pk))
    page.fill("#id_description", "国槐街路口流动摊贩占道经营，堵塞人行道")
    page.set_input_files("#id_photos", [photo])
    grid_a = page.locator(".map-pick path.leaflet-interactive").first
    expect(grid_a).to_be_visible()
    grid_a.click()
    expect(page.locator("[data-grid-found]")).to_contain_text("国槐街网格")
    assert page.input_value("#id_grid") == str(world.grid_a.pk)
    lon, lat = float(page.input_value("#id_longitude")), float(page.input_value("#id_latitude"))
    assert 114.60 < lon < 114.61 and 33.60 < lat < 33.61
    page.screenshot(path=str(SHOTS / "report-phone.png"), full_page=True)
    page.click("button.btn-lg[type=submit]")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    code = page.locator("#case .case-head .code").inner_text().strip()
    # The browser asks for Chinese, as the district's phones do: the pages answer in Chinese.
    expect(page.locator(".messages")).to_contain_text(f"查询码为{code}")
    expect(page.locator(".answer")).to_contain_text("5")
    case = Case.objects.get(tracking_code=code)
    assert case.grid == world.grid_a and case.photos.count() == 1
    expect(page.locator(".case-summary .thumbs img")).to_have_count(1)
    page.wait_for_function(
        "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
    )
    page.screenshot(path=str(SHOTS / "case-phone-reported.png"), full_page=True)
    context.close()
    case_url = f"{base}/cases/{case.pk}/"

    # 2. The office registers it and assigns it to the unit (the category's default unit).
    context, page = log_in(browser, console, base, "office", DESKTOP)
    page.goto(case_url)
    do_action(page, "register", "registered")
    expect(page.locator("#case .messages")).to_contain_text(zh(TRANSITIONS["register"].label))
    do_action(
        page,
        "assign",
        "assigned",
        lambda form: form.locator("select[name=unit]").select_option(str(world.unit.pk)),
    )
    expect(page.locator(".answer")).to_contain_text("城市管理局")
    context.close()

    # 3. The unit clerk accepts it and submits the fix with a photo, from a phone.
    context, page = log_in(browser, console, base, "clerk", PHONE)
    page.goto(case_url)
    do_action(page, "accept", "in_progress")

    def fix(form):
        form.locator("textarea[name=note]").fill("已清理摊位，恢复人行道通行")
        form.locator("input[name=photos]").set_input_files(
            [
                {
                    "name": "fixed.png",
                    "mimeType": "image/png",
                    "buffer": png_bytes("green", (320, 240)),
                }
            ]
        )

    do_action(page, "submit", "submitted", fix)
    expect(page.locator(".event-submit .thumbs img")).to_have_count(1)
    page.wait_for_function(
        "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
    )
    page.screenshot(path=str(SHOTS / "case-phone-submitted.png"), full_page=True)
    context.close()

    # 4. The inspector verifies it: 销号.
    context, page = log_in(browser, console, base, "inspector", DESKTOP)
    page.goto(case_url)
    do_action(
        page,
        "verify_pass",
        "closed",
        lambda form: form.locator("textarea[name=note]").fill("复查合格"),
    )
    page.wait_for_function(
        "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
    )
    page.screenshot(path=str(SHOTS / "case-desktop-closed.png"), full_page=True)

    # 5. The ledger, filtered to closed cases (htmx swaps the table), shows it closed.
    page.goto(f"{base}/cases/")
    page.select_option("#id_status", "closed")
    page.wait_for_url(re.compile(r"status=closed"))
    row = page.locator(f'tr[data-case="{code}"]')
    expect(row).to_be_visible()
    expect(row.locator(".badge-done")).to_have_text(zh(Status.CLOSED.label))
    expect(page.locator("#ledger-table tr.row")).to_have_count(1)
    page.screenshot(path=str(SHOTS / "ledger-desktop.png"), full_page=True)
    context.close()

    context, page = log_in(browser, console, base, "office", PHONE)
    page.goto(f"{base}/cases/?status=closed")
    expect(page.locator(f'tr[data-case="{code}"] .badge-done')).to_be_visible()
    page.screenshot(path=str(SHOTS / "ledger-phone.png"), full_page=True)
    context.close()

    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert [e.action for e in case.events.all()] == [
        "report",
        "register",
        "assign",
        "accept",
        "submit",
        "verify_pass",
    ]
    assert console.errors == []
    assert os.path.getsize(SHOTS / "report-phone.png") > 0
