"""An inspector completes a site's checklist on a phone (390×844) in headless Chromium:
one pass, one failure with a photo and GPS, the case code shown, the site done."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from civgrid.cases.models import Case
from civgrid.cases.workflow import Status
from civgrid.inspections.models import Finding, InspectionSite
from civgrid.inspections.tests.factories import make_framework, plan, site_of, two_sites
from civgrid.testing import png_bytes
from civgrid.testing_browser import PHONE, SHOTS, Console, log_in

pytestmark = pytest.mark.browser


def test_an_inspector_completes_a_checklist_on_a_phone(live_server, browser, live_world):
    world = live_world
    fw = make_framework(world)
    road, market = two_sites(world)
    inspection = plan(world, fw, [road, market], name="三月明察暗访")
    isite = site_of(inspection, road)
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser() as launched:
        console = Console()
        context, page = log_in(launched, console, base, "inspector", PHONE)
        context.grant_permissions(["geolocation"], origin=base)
        context.set_geolocation({"longitude": 114.6052, "latitude": 33.6051, "accuracy": 15})

        page.goto(f"{base}/inspections/mine/")
        page.click(f'a[data-inspection="{inspection.pk}"]')
        page.wait_for_url(f"{base}/inspections/{inspection.pk}/sites/")
        page.click(f'a[data-site="{road.code}"]')
        page.wait_for_url(re.compile(rf"/inspections/{inspection.pk}/sites/{isite.pk}/$"))
        expect(page.locator("[data-gps-status]")).to_contain_text("15")

        s1 = page.locator('article[data-standard="S1"]')
        s1.locator("button.insp-pass").click()
        expect(page.locator('article[data-standard="S1"] [data-outcome="pass"]')).to_be_visible()

        s2 = page.locator('article[data-standard="S2"]')
        s2.locator("textarea[name=note]").fill("路口流动摊贩占道经营")
        s2.locator("summary.insp-fail-open").click()
        s2.locator("select[name=question]").select_option(str(fw.s2.questions.first().pk))
        s2.locator("input[name=photos]").set_input_files(
            [
                {
                    "name": "problem.png",
                    "mimeType": "image/png",
                    "buffer": png_bytes("orange", (320, 240)),
                }
            ]
        )
        s2.locator("button.insp-fail-send").click()
        shown = page.locator('article[data-standard="S2"] .insp-case')
        expect(shown).to_be_visible()
        code = shown.get_attribute("data-case")
        expect(shown).to_contain_text("市场监督管理局")
        page.screenshot(path=str(SHOTS / "inspection-checklist-phone.png"), full_page=True)

        page.click("button[data-site-done]")
        page.wait_for_url(f"{base}/inspections/{inspection.pk}/sites/")
        expect(page.locator(f'a[data-site="{road.code}"] .insp-site-done')).to_be_visible()

        # The inspection's page: progress and the map of its sites.
        page.goto(f"{base}/inspections/{inspection.pk}/")
        expect(page.locator("[data-progress]")).to_have_text("1 / 2")
        expect(page.locator(".insp-map.leaflet-container path.leaflet-interactive")).to_have_count(
            2
        )
        context.close()

    case = Case.objects.get(tracking_code=code)
    assert case.unit == world.other_unit and case.status == Status.ASSIGNED
    assert case.photos.count() == 1 and case.due_at is not None
    assert Finding.objects.get(case=case).standard == fw.s2
    done = InspectionSite.objects.get(pk=isite.pk)
    assert done.status == "done"
    assert (done.longitude, done.latitude, done.accuracy) == (114.6052, 33.6051, 15.0)
    assert console.errors == []
