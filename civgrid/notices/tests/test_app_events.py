"""Other apps' notice events (civgrid/notices/events.py): registered, ruled, delivered once."""

import datetime as dt

import pytest

from civgrid.notices import events, eventtypes
from civgrid.notices.defaults import restore_default_rules
from civgrid.notices.delivery import deliver_due
from civgrid.notices.models import InboxEntry, Notice, NoticeRule

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
def hazard_event():
    event = events.register(
        "test_hazard_due",
        "Hidden danger due (隐患到期)",
        render=lambda notices: (
            f"{len(notices)} hidden danger(s) due: {notices[0].data['name']}",
            "Re-inspect before the deadline.",
            "/cases/",
        ),
        channels=("inbox",),
    )
    restore_default_rules()
    yield event
    eventtypes._EVENTS.pop("test_hazard_due", None)


def test_a_registered_event_gets_an_editable_default_rule(hazard_event):
    rule = NoticeRule.objects.get(event="test_hazard_due")
    assert rule.recipient == "actor" and rule.channels == ["inbox"] and rule.enabled
    assert rule.get_event_display() == "Hidden danger due (隐患到期)"
    rule.channels = ["inbox", "sms"]
    rule.save()
    restore_default_rules()  # what the office set stays
    assert NoticeRule.objects.get(event="test_hazard_due").channels == ["inbox", "sms"]


def test_notify_reaches_each_user_once_per_slot(world, hazard_event):
    users = [world.worker_a.user, world.worker_a.user, None, world.worker_b.user]
    made = events.notify("test_hazard_due", users, now=T0, slot="h1", data={"name": "百货店"})
    assert made == 2
    assert events.notify("test_hazard_due", users, now=T0, slot="h1", data={"name": "x"}) == 0
    assert Notice.objects.filter(event="test_hazard_due").count() == 2
    deliver_due(T0)
    entry = InboxEntry.objects.get(user=world.worker_a.user)
    assert entry.subject == "1 hidden danger(s) due: 百货店"
    assert entry.url.endswith("/cases/")


def test_a_turned_off_rule_sends_nothing(world, hazard_event):
    NoticeRule.objects.filter(event="test_hazard_due").update(enabled=False)
    made = events.notify("test_hazard_due", [world.worker_a.user], now=T0, slot="h2")
    assert made == 0


def test_codes_are_checked():
    with pytest.raises(ValueError):
        events.register("assigned", "x", render=lambda n: ("", "", ""))
    with pytest.raises(ValueError):
        events.register("x" * 31, "x", render=lambda n: ("", "", ""))
    with pytest.raises(KeyError):
        events.notify("never_registered", [], now=T0, slot="s")
