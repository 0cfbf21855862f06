"""A resident on a phone, without an account: scan a grid's QR code, report with a photo, get
the tracking code and the answer-by date, follow progress by code, and rate the answer through
the private link once the case is closed — in headless Chromium, with no console errors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from civgrid.cases.models import Case
from civgrid.cases.workflow import Status
from civgrid.testing import drive, png_bytes
from civgrid.testing_browser import PHONE, SHOTS, Console, new_context

pytestmark = pytest.mark.browser


def test_a_resident_reports_from_a_qr_code_follows_it_and_rates_the_answer(
    live_server, browser, live_world
):
    world, base = live_world, live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser() as launched:
        console = Console()
        context = new_context(launched, PHONE)
        page = console.watch(context.new_page())

        # The QR code printed for grid A opens the form with the grid chosen.
        page.goto(f"{base}/public/report/?grid={world.grid_a.code}")
        expect(page.locator(".place-chosen")).to_contain_text(world.grid_a.name)
        page.select_option("#id_category", str(world.category.pk))
        page.fill("#id_description", "小区门口垃圾堆了三天没人清理")
        page.set_input_files(
            "#id_photos",
            [{"name": "rubbish.png", "mimeType": "image/png", "buffer": png_bytes("green")}],
        )
        page.fill("#id_reporter_phone", "13900001111")
        page.screenshot(path=str(SHOTS / "public-report-phone.png"), full_page=True)
        page.click("form.report-form button[type=submit]")

        # The tracking code, the answer-by date and the private link.
        code = page.input_value("#tracking-code")
        assert re.fullmatch(r"\d{6}-[2-9A-Z]{6}", code)
        expect(page.locator(".answer-by")).to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2}"))
        private_url = page.input_value(".private-link input")
        case = Case.objects.get(tracking_code=code)
        assert case.grid == world.grid_a and case.photos.count() == 1
        assert case.reporter is None and case.reporter_phone == "13900001111"

        # Anyone with the code sees the progress, never the phone number, and cannot rate.
        page.goto(f"{base}/public/track/")
        page.fill("#id_code", code)
        page.click("form.card button[type=submit]")
        expect(page.locator(".status-now")).to_be_visible()
        assert "13900001111" not in page.content()
        expect(page.locator("input[name=score]")).to_have_count(0)

        # The district closes the case and answers; the private link now takes a rating.
        drive(case, world, "register", "assign", "accept", "submit", "verify_pass", "reply")
        page.goto(private_url)
        expect(page.locator(".answer-card .reply")).to_contain_text("已整改完毕")
        page.check("input[name=score][value='5']")
        page.click("section form button[type=submit]")
        expect(page.locator(".msg-success")).to_be_visible()
        page.screenshot(path=str(SHOTS / "public-status-phone.png"), full_page=True)
        context.close()

    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.satisfaction == 5
    assert console.errors == []
