import pytest
from django.utils import timezone

from civgrid.notices.delivery import deliver_due
from civgrid.notices.outbox import BATCH_WINDOW
from civgrid.testing import drive, report
from civgrid.testing_browser import PHONE, Console, log_in

pytestmark = pytest.mark.browser


def test_the_bell_counts_a_case_assigned_to_my_unit_without_a_reload(
    live_server, browser, live_world, settings
):
    settings.CIVGRID_NOTICES_BELL_SECONDS = 1
    w = live_world
    with browser() as launched:
        console = Console()
        context, page = log_in(launched, console, live_server.url, "clerk", PHONE)
        page.wait_for_selector('#bell .bell-count[data-count="0"]', state="attached")

        drive(report(w), w, "register", "assign")
        deliver_due(timezone.now() + BATCH_WINDOW)

        page.wait_for_selector('#bell .bell-count[data-count="1"]')
        assert page.locator("#bell .bell-count").inner_text() == "1"
        page.click("#bell")
        page.wait_for_url(f"{live_server.url}/notices/")
        assert page.locator(".inbox-item.unread").count() == 1
        page.click(".inbox-item .inbox-subject")
        page.wait_for_url(f"{live_server.url}/cases/*/")
        page.wait_for_selector('#bell .bell-count[data-count="0"]', state="attached")
        context.close()
    assert console.errors == []
