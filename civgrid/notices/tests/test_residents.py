import datetime as dt
import logging

import pytest
import time_machine
from django.urls import reverse

from civgrid.cases import actions
from civgrid.notices.channels.base import DeliveryError
from civgrid.notices.delivery import deliver_due
from civgrid.notices.models import Delivery, Notice
from civgrid.notices.queries import bad_ratings
from civgrid.public import actions as public
from civgrid.public.models import Channel
from civgrid.testing import drive

pytestmark = pytest.mark.django_db
PHONE = "13812345678"
DAY = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


def public_case(world, phone: str = PHONE):
    done = public.submit_report(
        channel=Channel.WEB,
        category=world.category,
        description="小区门口垃圾堆放多日",
        longitude=114.605,
        latitude=33.605,
        reporter_phone=phone,
    )
    return done


def answered(world, done):
    return drive(done.case, world, "register", "assign", "accept", "submit", "verify_pass", "reply")


def test_the_resident_gets_a_text_with_the_answer_and_a_private_link(world, fake_channels, client):
    with time_machine.travel(DAY, tick=False):
        done = public_case(world)
        case = answered(world, done)
        deliver_due(DAY)
    [message] = fake_channels["sms"].sent.values()
    assert message.phone == PHONE
    assert "已整改完毕" in message.body
    assert case.tracking_code in message.body
    # The link in the text opens the private page, and the one given at reporting still does.
    assert message.url.startswith("/public/r/")
    assert message.url in message.body
    assert client.get(message.url).status_code == 200
    first = reverse("public:private", args=[case.tracking_code, done.token])
    assert client.get(first).status_code == 200


def test_the_text_is_sent_once_however_often_the_task_runs(world, fake_channels):
    with time_machine.travel(DAY, tick=False):
        answered(world, public_case(world))
        deliver_due(DAY)
        deliver_due(DAY + dt.timedelta(minutes=5))
    assert len(fake_channels["sms"].calls) == 1


def test_a_resident_without_a_phone_gets_no_text(world, fake_channels):
    with time_machine.travel(DAY, tick=False):
        answered(world, public_case(world, phone=""))
        deliver_due(DAY)
    assert fake_channels["sms"].calls == []
    assert not Notice.objects.filter(to_resident=True).exists()


def test_the_phone_number_is_never_in_the_logs(world, fake_channels, caplog):
    fake_channels["sms"].fail = 1
    caplog.set_level(logging.DEBUG)
    with time_machine.travel(DAY, tick=False):
        answered(world, public_case(world))
        deliver_due(DAY)
    assert "failed" in caplog.text
    assert PHONE not in caplog.text


def test_a_bad_rating_is_listed_for_the_office(world, fake_channels):
    with time_machine.travel(DAY, tick=False):
        done = public_case(world)
        case = answered(world, done)
        public.rate_report(done.report, token=done.token, score=2, expected_version=case.version)
    assert bad_ratings() == [case]
    notice = Notice.objects.get(event="bad_rating")
    assert notice.user_id == world.office.user_id


def test_a_good_rating_is_not_listed(world):
    with time_machine.travel(DAY, tick=False):
        done = public_case(world)
        case = answered(world, done)
        actions.rate_public(case, actor_label="x", expected_version=case.version, score=5)
    assert bad_ratings() == []


def test_a_provider_error_quoting_the_number_is_stored_and_logged_masked(
    world, fake_channels, caplog
):
    class Quoting(type(fake_channels["sms"])):
        def send(self, message):
            raise DeliveryError(f"number {message.phone} is not reachable")

    fake_channels["sms"].__class__ = Quoting
    caplog.set_level(logging.DEBUG)
    with time_machine.travel(DAY, tick=False):
        answered(world, public_case(world))
        deliver_due(DAY)
    d = Delivery.objects.get(channel="sms")
    assert d.last_error == "number 138****5678 is not reachable"
    assert PHONE not in caplog.text
    assert "138****5678" in caplog.text
