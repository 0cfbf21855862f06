import datetime as dt

import pytest
import time_machine
from django.db import transaction

from civgrid.cases import actions
from civgrid.notices.delivery import BACKOFF, MAX_ATTEMPTS, deliver_due
from civgrid.notices.models import Delivery, InboxEntry, Notice
from civgrid.notices.outbox import BATCH_WINDOW
from civgrid.notices.queries import failed_deliveries, unread_count
from civgrid.org.models import Role
from civgrid.testing import drive, make_person, report

pytestmark = pytest.mark.django_db
# A Tuesday morning in Shanghai (01:00 UTC = 09:00 local).
T0 = dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC)


def test_assigning_a_case_writes_a_notice_for_each_clerk_of_the_unit(world):
    second = make_person(Role.UNIT_CLERK, unit=world.unit)
    case = drive(report(world), world, "register", "assign")
    notices = Notice.objects.filter(case=case, event="assigned")
    assert {n.user_id for n in notices} == {world.clerk.user_id, second.user_id}
    channels = Delivery.objects.filter(notice__in=notices).values_list("channel", flat=True)
    assert set(channels) == {"inbox", "webpush"}


def test_an_action_rolled_back_leaves_no_notice(world):
    case = drive(report(world), world, "register")
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.assign(
            case, actor=world.office.user, expected_version=case.version, unit=world.unit
        )
        raise RuntimeError("the request failed after the action")
    assert not Notice.objects.exists()


def test_the_inbox_gets_the_assignment_after_the_batch_window(world):
    with time_machine.travel(T0, tick=False):
        drive(report(world), world, "register", "assign")
        assert deliver_due(T0) == 0
    assert deliver_due(T0 + BATCH_WINDOW) == 1
    entry = InboxEntry.objects.get(user=world.clerk.user)
    assert "assigned" in entry.subject
    assert unread_count(world.clerk.user) == 1


def test_twenty_cases_assigned_at_once_make_one_message_per_recipient(world):
    with time_machine.travel(T0, tick=False):
        for _ in range(20):
            drive(report(world), world, "register", "assign")
    assert deliver_due(T0 + BATCH_WINDOW) == 20
    entry = InboxEntry.objects.get(user=world.clerk.user)
    assert "20 cases" in entry.subject
    assert len(entry.body.splitlines()) == 20
    assert Delivery.objects.filter(status="sent", batched_into__isnull=False).count() == 19


def test_delivery_is_not_repeated_when_the_task_runs_twice(world):
    with time_machine.travel(T0, tick=False):
        drive(report(world), world, "register", "assign")
    deliver_due(T0 + BATCH_WINDOW)
    assert deliver_due(T0 + BATCH_WINDOW * 2) == 0
    assert InboxEntry.objects.count() == 1


def test_a_failing_provider_is_retried_with_back_off_then_listed_as_failed(world, fake_channels):
    sms = fake_channels["sms"]
    sms.fail = 100
    with time_machine.travel(T0, tick=False):
        case = drive(report(world), world, "register", "assign")
        world.clerk.phone = "13900001111"
        world.clerk.save()
        actions.urge(case, actor=world.leader.user, expected_version=case.version, note="抓紧")
    d = Delivery.objects.get(channel="sms")
    now = T0
    for attempt in range(1, MAX_ATTEMPTS + 1):
        deliver_due(now)
        d.refresh_from_db()
        assert d.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert d.status == "pending"
            assert d.due_at == now + BACKOFF * 2 ** (attempt - 1)
            now = d.due_at
    assert d.status == "failed"
    assert d.last_error == "provider said no"
    assert failed_deliveries() == [d]
    assert len(sms.calls) == MAX_ATTEMPTS


def test_a_permanent_failure_is_not_retried(world, fake_channels):
    fake_channels["sms"].fail = 1
    fake_channels["sms"].permanent = True
    world.clerk.phone = "13900001111"
    world.clerk.save()
    with time_machine.travel(T0, tick=False):
        case = drive(report(world), world, "register", "assign")
        actions.urge(case, actor=world.leader.user, expected_version=case.version, note="抓紧")
    deliver_due(T0)
    d = Delivery.objects.get(channel="sms")
    assert (d.status, d.attempts) == ("failed", 1)


def test_a_stale_claim_of_a_killed_worker_is_sent_again_with_the_same_key(world, fake_channels):
    world.clerk.phone = "13900001111"
    world.clerk.save()
    with time_machine.travel(T0, tick=False):
        case = drive(report(world), world, "register", "assign")
        actions.urge(case, actor=world.leader.user, expected_version=case.version, note="抓紧")
    d = Delivery.objects.get(channel="sms")
    # A worker claimed it and died before recording the send.
    Delivery.objects.filter(pk=d.pk).update(status="sending", claimed_at=T0)
    assert deliver_due(T0 + dt.timedelta(minutes=1)) == 1  # the inbox; the sms is still claimed
    assert fake_channels["sms"].calls == []
    deliver_due(T0 + dt.timedelta(minutes=10))
    assert [m.key for m in fake_channels["sms"].calls] == [d.key]
    d.refresh_from_db()
    assert d.status == "sent"


def test_the_deliver_task_is_enqueued_once_per_transaction_after_commit(
    world, django_capture_on_commit_callbacks, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a real queue

    case = drive(report(world), world, "register")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            actions.assign(
                case, actor=world.office.user, expected_version=case.version, unit=world.unit
            )
            case.refresh_from_db()
            actions.urge(case, actor=world.leader.user, expected_version=case.version, note="快")
        assert DBTaskResult.objects.count() == 0
    assert len(callbacks) == 1
    assert DBTaskResult.objects.filter(task_path="civgrid.notices.tasks.deliver").count() == 1


def test_a_rolled_back_transaction_does_not_stop_the_next_from_enqueueing(
    world, django_capture_on_commit_callbacks
):
    case = drive(report(world), world, "register")
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            actions.assign(
                case, actor=world.office.user, expected_version=case.version, unit=world.unit
            )
            raise RuntimeError
        actions.assign(
            case, actor=world.office.user, expected_version=case.version, unit=world.unit
        )
    assert len(callbacks) == 1
