import datetime as dt

import pytest
import time_machine

from civgrid.cases import actions
from civgrid.notices.delivery import deliver_due
from civgrid.notices.models import Delivery, NoticeRule, Preference
from civgrid.testing import drive, report

pytestmark = pytest.mark.django_db
NIGHT = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)  # 23:00 in Shanghai
MORNING = dt.datetime(2026, 3, 10, 23, 0, tzinfo=dt.UTC)  # 07:00 the next day


def urged_at_night(world):
    world.clerk.phone = "13900001111"
    world.clerk.save()
    with time_machine.travel(NIGHT, tick=False):
        case = drive(report(world), world, "register", "assign")
        actions.urge(case, actor=world.leader.user, expected_version=case.version, note="抓紧")


def test_no_sms_at_night_it_waits_for_the_morning(world, fake_channels):
    urged_at_night(world)
    deliver_due(NIGHT)
    assert fake_channels["sms"].calls == []
    sms = Delivery.objects.get(channel="sms")
    assert (sms.status, sms.due_at, sms.attempts) == ("pending", MORNING, 0)
    assert Delivery.objects.get(channel="inbox", notice__event="urged").status == "sent"
    deliver_due(MORNING)
    assert len(fake_channels["sms"].calls) == 1


def test_an_urgent_rule_sends_sms_at_night(world, fake_channels):
    NoticeRule.objects.filter(event="urged").update(urgent=True)
    urged_at_night(world)
    deliver_due(NIGHT)
    assert len(fake_channels["sms"].calls) == 1


def test_quiet_hours_are_the_users_own(world, fake_channels):
    Preference.objects.create(
        user=world.clerk.user, quiet_from=dt.time(23, 30), quiet_until=dt.time(6, 0)
    )
    urged_at_night(world)
    deliver_due(NIGHT)
    assert len(fake_channels["sms"].calls) == 1


def test_a_channel_the_user_turned_off_is_not_used(world, fake_channels):
    Preference.objects.create(user=world.clerk.user, channels_off=["sms", "inbox"])
    urged_at_night(world)
    assert set(
        Delivery.objects.filter(notice__event="urged").values_list("channel", flat=True)
    ) == {"inbox"}


def test_the_message_is_in_the_recipients_language(world):
    Preference.objects.create(user=world.clerk.user, language="zh-hans")
    with time_machine.travel(NIGHT, tick=False):
        case = drive(report(world), world, "register", "assign")
    deliver_due(NIGHT + dt.timedelta(minutes=5))
    entry = world.clerk.user.inbox.get()
    assert case.tracking_code in entry.subject
    assert "assigned" not in entry.subject
