"""On a phone: sign up from the activity's QR poster, check in and out by scanning its code
(the check-out without network, sent once when it returns), see the hours once confirmed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civgrid.testing_browser import DESKTOP, PHONE, Console, log_in
from civgrid.volunteers.models import HoursCredit, Participation
from civgrid.volunteers.tests.factories import make_activity, make_volunteer

pytestmark = pytest.mark.browser
PLACE = {"longitude": 114.605, "latitude": 33.605}


def test_sign_up_check_in_and_out_on_a_phone_then_see_the_confirmed_hours(
    live_server, browser, live_world
):
    world = live_world
    start = timezone.now() - dt.timedelta(hours=3)
    activity = make_activity(
        world.grid_a, by=world.office.user, starts_at=start, hours=4, now=start, title="河道清理"
    )
    vol = make_volunteer(world.grid_a, by=world.office.user, name="王秀兰")
    base = live_server.url
    with browser() as launched:
        console = Console()
        context, page = log_in(launched, console, base, vol.user.username, PHONE)
        context.grant_permissions(["geolocation"])
        context.set_geolocation(PLACE)
        page.goto(f"{base}/volunteers/a/{activity.code}/")  # what the poster's QR code opens
        page.click("#sign-up")
        page.click("[data-step=check_in]")
        expect(page.locator("[data-step=check_out]")).to_be_visible()
        participation = Participation.objects.get(activity=activity, volunteer=vol)
        assert participation.checked_in_at is not None and participation.flags == []
        # Two hours of service pass (the check-in is moved back instead of waiting).
        Participation.objects.filter(pk=participation.pk).update(
            checked_in_at=timezone.now() - dt.timedelta(hours=2, minutes=5)
        )
        context.set_offline(True)
        page.click("[data-step=check_out]")
        expect(page.locator("[data-scan-queued]")).to_be_visible()
        assert Participation.objects.get(pk=participation.pk).checked_out_at is None
        context.set_offline(False)  # the `online` event sends the outbox, the page reloads
        expect(page.locator("#scan-state")).to_contain_text("签退")
        assert Participation.objects.get(pk=participation.pk).checked_out_at is not None

        office_context, office = log_in(launched, console, base, "office", DESKTOP)
        office.goto(f"{base}/volunteers/activities/{activity.pk}/")
        office.click("tr[data-volunteer='王秀兰'] [data-confirm-button]")
        expect(office.locator("tr[data-volunteer='王秀兰'] [data-confirmed]")).to_be_visible()
        assert HoursCredit.objects.get(volunteer=vol).hours == Decimal("2.00")

        page.goto(f"{base}/volunteers/me/")
        expect(page.locator("[data-total-hours]")).to_have_text("2.00")
        office_context.close()
        context.close()
    assert [e for e in console.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []
