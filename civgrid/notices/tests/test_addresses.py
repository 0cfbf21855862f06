import datetime as dt

import pytest
import time_machine

from civgrid.notices.delivery import deliver_due
from civgrid.notices.models import Delivery, PushSubscription, UnitWebhook
from civgrid.notices.outbox import BATCH_WINDOW
from civgrid.org.models import Role
from civgrid.testing import drive, make_person, report

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


def test_a_units_group_robot_hears_of_an_assignment_once_not_once_per_clerk(world, fake_channels):
    make_person(Role.UNIT_CLERK, unit=world.unit)
    UnitWebhook.objects.create(
        unit=world.unit, kind="wecom", url="https://qyapi.example/send?key=k1"
    )
    with time_machine.travel(T0, tick=False):
        drive(report(world), world, "register", "assign")
    deliver_due(T0 + BATCH_WINDOW)
    [message] = fake_channels["wecom"].calls
    assert message.webhook_url == "https://qyapi.example/send?key=k1"
    assert fake_channels["dingtalk"].calls == []  # the unit has no DingTalk robot


def test_web_push_gets_the_users_subscription_and_a_user_without_one_is_skipped(
    world, fake_channels
):
    second = make_person(Role.UNIT_CLERK, unit=world.unit)
    PushSubscription.objects.create(
        user=world.clerk.user,
        endpoint="https://push.example/s/1",
        p256dh="pk",
        auth="au",
        created_at=T0,
    )
    with time_machine.travel(T0, tick=False):
        drive(report(world), world, "register", "assign")
    deliver_due(T0 + BATCH_WINDOW)
    [message] = fake_channels["webpush"].calls
    assert message.user_id == world.clerk.user_id
    assert message.extra["push_subscription"] == {
        "endpoint": "https://push.example/s/1",
        "keys": {"p256dh": "pk", "auth": "au"},
    }
    skipped = Delivery.objects.get(channel="webpush", notice__user=second.user)
    assert (skipped.status, skipped.last_error) == ("skipped", "no address")
