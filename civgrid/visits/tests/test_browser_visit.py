"""A visit logged on a phone without network is kept in the outbox and recorded once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from civgrid.cases.models import Case, Source
from civgrid.testing_browser import PHONE, Console, log_in
from civgrid.visits.models import Visit
from civgrid.visits.tests.factories import make_household

pytestmark = pytest.mark.browser


def test_a_visit_logged_offline_is_recorded_once_back_online(live_server, browser, live_world):
    world = live_world
    home = make_household(world.grid_a, code="A1", aged_80_plus=True, address="国槐街1号")
    base = live_server.url
    with browser() as launched:
        console = Console()
        context, page = log_in(launched, console, base, "worker_a", PHONE)
        page.goto(f"{base}/visits/households/{home.pk}/")
        expect(page.locator("#visit-form")).to_be_visible()
        context.set_offline(True)
        page.fill("#id_notes", "老人身体良好")
        page.check("#id_raise_problem")
        page.select_option("#id_category", str(world.category.pk))
        page.fill("#id_description", "楼道灯不亮")
        page.click("#visit-form button[type=submit]")
        expect(page.locator("[data-visit-queued]")).to_be_visible()
        assert Visit.objects.count() == 0
        context.set_offline(False)  # the `online` event sends the outbox
        page.goto(f"{base}/m/outbox/")
        expect(page.locator("[data-outbox-list] li.m-empty")).to_be_visible()
        visit = Visit.objects.get()
        assert (visit.household, visit.notes) == (home, "老人身体良好")
        assert [(c.source, c.description) for c in Case.objects.all()] == [
            (Source.HOME_VISIT, "楼道灯不亮")
        ]
        context.close()
    # Chromium logs the requests that failed while the context was offline on purpose.
    assert [e for e in console.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []
