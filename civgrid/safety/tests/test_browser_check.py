"""On a phone (390×844): a check with a failed item made without network is kept in the
outbox and recorded once back online; the hidden danger's re-inspection crosses it off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from civgrid.cases import actions as case_actions
from civgrid.cases.workflow import Status
from civgrid.safety.models import Hazard, SafetyCheck
from civgrid.safety.tests.factories import build_campaign
from civgrid.testing import photo_upload
from civgrid.testing_browser import PHONE, Console, log_in

pytestmark = pytest.mark.browser


def test_an_offline_check_is_sent_once_and_its_hazard_closed_by_re_inspection(
    live_server, browser, live_world
):
    w = build_campaign(live_world)
    item = w.items["XF-01"]
    base = live_server.url
    with browser() as launched:
        console = Console()
        context, page = log_in(launched, console, base, "inspector", PHONE)
        page.goto(f"{base}/safety/check/{w.assignment_eatery.pk}/")
        expect(page.locator("#check-form")).to_be_visible()
        context.set_offline(True)
        page.check(f"input[name=result_{item.pk}][value=fail]")
        page.fill(f"#id_note_{item.pk}", "安全出口上锁")
        page.click("#check-form button[type=submit]")
        expect(page.locator("[data-check-queued]")).to_be_visible()
        assert SafetyCheck.objects.count() == 0
        context.set_offline(False)  # the `online` event sends the outbox
        page.goto(f"{base}/m/outbox/")
        expect(page.locator("[data-outbox-list] li.m-empty")).to_be_visible()
        assert SafetyCheck.objects.count() == 1
        hazard = Hazard.objects.get()
        assert hazard.item == item and hazard.case.status == Status.ASSIGNED

        case = case_actions.accept(
            hazard.case, actor=w.clerk.user, expected_version=hazard.case.version
        )
        case_actions.submit(
            case,
            actor=w.clerk.user,
            expected_version=case.version,
            note="已打开安全出口",
            photos=[photo_upload()],
        )
        page.goto(f"{base}/cases/{case.pk}/")
        details = page.locator("details#action-verify_pass")
        if not details.evaluate("d => d.open"):
            details.locator("summary").click()
        details.locator("textarea[name=note]").fill("复查合格")
        details.locator("form button[type=submit]").click()
        expect(page.locator('#case .case-head [data-status="closed"]')).to_be_visible()
        context.close()
    hazard.case.refresh_from_db()
    assert hazard.case.status == Status.CLOSED
    assert SafetyCheck.objects.count() == 1 and Hazard.objects.count() == 1
    assert [e for e in console.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []
