"""The grid worker's phone app in headless Chromium: a report made offline is kept on the
phone (also across a reload), and sent exactly once when the network is back.

Console errors are collected and must be none, except the failed requests Chromium logs while
the context is offline on purpose (net::ERR_INTERNET_DISCONNECTED and "Failed to load
resource"/"Failed to fetch" for the API call the outbox tries): those are the very condition
under test, and the outbox handles them by keeping the item.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from civgrid.cases.models import Case
from civgrid.testing import png_bytes
from civgrid.testing_browser import PHONE, SHOTS, Console, log_in

pytestmark = pytest.mark.browser

OFFLINE_NOISE = re.compile(r"ERR_INTERNET_DISCONNECTED|Failed to load resource|Failed to fetch")


def test_a_report_made_offline_is_sent_once_when_back_online(live_server, browser, live_world):
    world = live_world
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser() as launched:
        console = Console()
        context, page = log_in(launched, console, base, "worker_a", PHONE)
        page.goto(f"{base}/m/")
        expect(page.locator("h1.m-title")).to_be_visible()
        # The map of my grids draws from GeoJSON alone (no tiles configured).
        expect(page.locator(".m-map path.leaflet-interactive").first).to_be_visible()
        # The service worker installs (caching the app shell) and takes control of the page.
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        page.goto(f"{base}/m/report/")  # cached while online
        page.screenshot(path=str(SHOTS / "m-report-phone.png"), full_page=True)

        context.set_offline(True)
        page.select_option("#m-category", str(world.category.pk))
        page.fill("#m-description", "离线上报：国槐街垃圾乱堆")
        page.set_input_files(
            "#m-photos",
            [{"name": "p.png", "mimeType": "image/png", "buffer": png_bytes("orange", (64, 48))}],
        )
        assert page.input_value("#m-grid") == str(world.grid_a.pk)
        page.click("form[data-offline-report] button[type=submit]")
        expect(page.locator("[data-report-result]")).to_be_visible()
        expect(page.locator("[data-outbox-count]")).to_have_text("1")
        assert Case.objects.count() == 0

        # A reload while offline: the page comes from the service worker, the item from
        # IndexedDB, photo included.
        page.goto(f"{base}/m/outbox/")
        expect(page.locator("[data-net-status]")).to_be_visible()
        item = page.locator("[data-outbox-list] li.m-item")
        expect(item).to_have_count(1)
        expect(item).to_contain_text("离线上报")
        expect(item).to_contain_text("📷 × 1")
        page.reload()
        expect(page.locator("[data-outbox-list] li.m-item")).to_have_count(1)
        page.screenshot(path=str(SHOTS / "m-outbox-offline.png"), full_page=True)
        assert Case.objects.count() == 0

        # Back online: the `online` event sends it; "send now" afterwards sends nothing twice.
        context.set_offline(False)
        expect(page.locator("[data-outbox-list] li.m-empty")).to_be_visible()
        expect(page.locator("[data-outbox-count]")).to_be_hidden()
        page.click("[data-send-now]")
        page.reload()
        expect(page.locator("[data-sent-list] li")).to_have_count(1)
        case = Case.objects.get(description="离线上报：国槐街垃圾乱堆")
        expect(page.locator("[data-sent-list]")).to_contain_text(case.tracking_code)
        assert Case.objects.count() == 1
        assert (case.grid_id, case.photos.count(), case.source) == (world.grid_a.pk, 1, "patrol")
        page.screenshot(path=str(SHOTS / "m-outbox-sent.png"), full_page=True)
        context.close()

    unexpected = [e for e in console.errors if not OFFLINE_NOISE.search(e)]
    assert unexpected == []
