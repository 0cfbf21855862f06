"""The office turns on two-factor login on a phone, logs out, and logs in again with a code
from the app: a wrong code is refused on the page, the right one lets them in."""

from __future__ import annotations

import base64
import time

import pytest
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from playwright.sync_api import expect

from civgrid.testing import PASSWORD
from civgrid.testing_browser import PHONE, SHOTS, Console, log_in, zh

pytestmark = pytest.mark.browser


def app_code(key: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for this key (steps_ahead × 30 s from now)."""
    secret = base64.b32decode(key.replace(" ", "") + "=" * (-len(key.replace(" ", "")) % 8))
    totp = TOTP(secret)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_the_office_enrols_on_a_phone_then_logs_in_with_a_code(
    live_server, browser, live_world, settings
):
    # django-otp refuses any code for a second after a wrong one; the page test types the
    # right one at once (the delay itself is django-otp's, tested there).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser() as launched:
        console = Console()
        context, page = log_in(launched, console, base, "office", PHONE)

        page.get_by_role("link", name=zh(_("Two-factor login"))).click()
        expect(page.locator(".qr svg")).to_be_visible()
        page.get_by_text(zh(_("Cannot scan? Type this key instead"))).click()
        key = page.locator(".totp-key").inner_text()
        page.screenshot(path=str(SHOTS / "two-factor-enrol-phone.png"), full_page=True)
        page.fill("#id_code", app_code(key))
        page.click("form.stack button[type=submit]")
        page.wait_for_url(f"{base}/")
        expect(page.locator("body")).to_contain_text(
            zh(_("Two-factor login is on: every login will ask for a code."))
        )

        page.get_by_role("button", name=zh(_("Log out"))).click()
        page.wait_for_url(f"{base}/login/")
        page.fill("#id_username", "office")
        page.fill("#id_password", PASSWORD)
        page.click("form.stack button[type=submit]")
        page.wait_for_url(f"{base}/login/code/")

        wrong = f"{(int(app_code(key, steps_ahead=1)) + 1) % 1_000_000:06d}"
        page.fill("#id_code", wrong)
        page.click("form.stack button[type=submit]")
        expect(page.locator(".error")).to_contain_text(
            zh(_("That code is not right. Type the code your app shows now."))
        )
        page.screenshot(path=str(SHOTS / "two-factor-code-phone.png"), full_page=True)

        # The enrolment used this 30-second step's code, and a code is good only once: the
        # app's next code (accepted one step early, for phones whose clock runs ahead).
        page.fill("#id_code", app_code(key, steps_ahead=1))
        page.click("form.stack button[type=submit]")
        page.wait_for_url(f"{base}/")
        expect(page.locator(".who-name")).to_contain_text("创建办张主任")
        context.close()
    assert console.errors == []
