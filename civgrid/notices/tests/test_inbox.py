import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from civgrid.cases import actions
from civgrid.notices.delivery import deliver_due
from civgrid.notices.models import Delivery, InboxEntry, NoticeRule
from civgrid.notices.outbox import BATCH_WINDOW
from civgrid.testing import PASSWORD, drive, report

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC)


def logged_in(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def clerk_with_one_notice(world, client):
    with time_machine.travel(T0, tick=False):
        drive(report(world), world, "register", "assign")
    deliver_due(T0 + BATCH_WINDOW)
    return logged_in(client, world.clerk)


def test_the_bell_shows_the_unread_count(world, client):
    c = clerk_with_one_notice(world, client)
    html = c.get(reverse("notices:bell")).content.decode()
    assert 'data-count="1"' in html


def test_every_page_loads_the_bell_without_a_query_of_its_own(world, client):
    c = clerk_with_one_notice(world, client)
    html = c.get(reverse("cases:ledger")).content.decode()
    assert reverse("notices:bell") in html


def test_opening_a_notice_marks_it_read_and_goes_to_the_case(world, client):
    c = clerk_with_one_notice(world, client)
    entry = InboxEntry.objects.get()
    response = c.post(reverse("notices:read", args=[entry.pk]), {"open": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("cases:detail", args=[entry.url.split("/")[-2]]))
    entry.refresh_from_db()
    assert entry.read_at is not None


def test_mark_all_read_empties_the_bell(world, client):
    c = clerk_with_one_notice(world, client)
    c.post(reverse("notices:read_all"))
    assert 'data-count="0"' in c.get(reverse("notices:bell")).content.decode()


def test_someone_elses_notice_cannot_be_marked_read(world, client):
    clerk_with_one_notice(world, client)
    entry = InboxEntry.objects.get()
    c = logged_in(client, world.other_clerk)
    assert c.post(reverse("notices:read", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.read_at is None


def test_the_inbox_lists_the_users_notices(world, client):
    c = clerk_with_one_notice(world, client)
    assert InboxEntry.objects.get().subject in c.get(reverse("notices:inbox")).content.decode()


def test_only_the_office_edits_the_rules(world, client):
    c = logged_in(client, world.clerk)
    assert c.get(reverse("notices:rules")).status_code == 403


def test_the_office_changes_a_rules_channels(world, client):
    c = logged_in(client, world.office)
    rule = NoticeRule.objects.get(event="assigned", recipient="unit")
    response = c.post(
        reverse("notices:rules"),
        {"rule": rule.pk, "channels": ["inbox", "sms"], "after_workdays": 0, "enabled": "on"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.channels, rule.enabled) == (["inbox", "sms"], True)


def test_an_unknown_channel_is_refused_and_changes_nothing(world, client):
    c = logged_in(client, world.office)
    rule = NoticeRule.objects.get(event="assigned", recipient="unit")
    before = rule.channels
    response = c.post(
        reverse("notices:rules"), {"rule": rule.pk, "channels": ["pigeon"], "after_workdays": 0}
    )
    assert response.status_code == 400
    rule.refresh_from_db()
    assert rule.channels == before


def test_the_office_retries_a_failed_delivery(world, client):
    clerk_with_one_notice(world, client)
    d = Delivery.objects.filter(status="sent").first()
    Delivery.objects.filter(pk=d.pk).update(status="failed", attempts=6, last_error="x")
    c = logged_in(client, world.office)
    assert "x" in c.get(reverse("notices:failed")).content.decode()
    c.post(reverse("notices:failed"), {"delivery": d.pk})
    d.refresh_from_db()
    assert (d.status, d.attempts) == ("pending", 0)


def test_a_push_subscription_is_saved_and_a_bad_one_refused(world, client):
    c = logged_in(client, world.worker_a)
    url = reverse("notices:push_subscribe")
    good = {"endpoint": "https://push.example/abc", "keys": {"p256dh": "k", "auth": "a"}}
    assert c.post(url, good, content_type="application/json").status_code == 201
    bad = {"endpoint": "http://push.example/abc", "keys": {"p256dh": "k", "auth": "a"}}
    assert c.post(url, bad, content_type="application/json").status_code == 400
    assert world.worker_a.user.push_subscriptions.count() == 1


def test_a_user_saves_quiet_hours_and_turns_sms_off(world, client):
    c = logged_in(client, world.clerk)
    response = c.post(
        reverse("notices:preferences"),
        {"channels_off": ["sms"], "quiet_from": "21:00", "quiet_until": "08:00", "language": "en"},
    )
    assert response.status_code == 302
    pref = world.clerk.user.notice_preference
    assert (pref.channels_off, pref.quiet_from.hour, pref.quiet_until.hour) == (["sms"], 21, 8)


def test_the_push_button_is_offered_only_with_a_vapid_key(world, client, settings):
    c = logged_in(client, world.worker_a)
    assert 'id="push-on"' not in c.get(reverse("notices:preferences")).content.decode()
    settings.CIVGRID_VAPID_PUBLIC_KEY = "BPublicKey"
    html = c.get(reverse("notices:preferences")).content.decode()
    assert 'data-key="BPublicKey"' in html


def test_with_the_console_on_a_text_message_shows_on_the_console_page_masked(
    world, client, settings
):
    settings.CIVGRID_NOTICES_CONSOLE = True
    world.clerk.phone = "13900001111"
    world.clerk.save()
    with time_machine.travel(T0, tick=False):
        case = drive(report(world), world, "register", "assign")
        actions.urge(case, actor=world.leader.user, expected_version=case.version, note="抓紧")
    deliver_due(T0 + BATCH_WINDOW)
    html = logged_in(client, world.office).get(reverse("notices:console")).content.decode()
    assert "sms → 139****1111" in html
    assert "13900001111" not in html
