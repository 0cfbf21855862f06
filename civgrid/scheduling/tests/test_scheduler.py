"""Each slot of a periodic job is enqueued once: across restarts of the scheduler, with two
schedulers at once, and with the task delivered twice; runs record their outcome."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from civgrid.scheduling import registry
from civgrid.scheduling.models import RunStatus, ScheduledRun
from civgrid.scheduling.queue import ping, run_database_worker
from civgrid.scheduling.runner import execute, tick
from civgrid.scheduling.schedule import prune_task_results, recover_interrupted_runs
from civgrid.scheduling.tests.conftest import seen_slots
from civgrid.testing import PASSWORD

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
RECORD = "civgrid.scheduling.tests.jobs_for_tests.record"


def local(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def run_scheduler_once():
    call_command("scheduler", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_each_slot_runs_once_across_restarts_and_a_missed_slot_is_caught_up_once(only_jobs):
    only_jobs("t.daily", func=RECORD, at="08:30")
    with time_machine.travel(local(2026, 3, 2, 8, 31), tick=False):
        run_scheduler_once()
        run_scheduler_once()  # restarted within the same slot
    assert seen_slots == [local(2026, 3, 2, 8, 30)]
    # Stopped for three days: the slots of the 3rd, 4th and 5th were missed.
    with time_machine.travel(local(2026, 3, 5, 9, 0), tick=False):
        run_scheduler_once()
        run_scheduler_once()
    assert seen_slots == [local(2026, 3, 2, 8, 30), local(2026, 3, 5, 8, 30)]
    runs = ScheduledRun.objects.filter(job="t.daily").order_by("slot")
    assert [(r.slot, r.status) for r in runs] == [
        (local(2026, 3, 2, 8, 30), RunStatus.DONE),
        (local(2026, 3, 5, 8, 30), RunStatus.DONE),
    ]


def test_a_scheduler_stopped_after_enqueueing_leaves_the_slot_to_the_worker_once(
    only_jobs, database_tasks
):
    only_jobs("t.five", func=RECORD, every=5)
    now = local(2026, 3, 2, 10, 7)
    assert [run.slot for run in tick(now)] == [local(2026, 3, 2, 10, 5)]
    # The scheduler stops here, before any worker ran the slot; a new one starts.
    assert tick(now + dt.timedelta(minutes=2)) == []
    assert DBTaskResult.objects.count() == 1 and seen_slots == []
    run_database_worker()
    run_database_worker()
    assert seen_slots == [local(2026, 3, 2, 10, 5)]
    assert ScheduledRun.objects.get().status == RunStatus.DONE


def test_the_unique_key_refuses_a_second_run_of_the_same_slot(only_jobs):
    slot = local(2026, 3, 2, 8, 30)
    ScheduledRun.objects.create(job="t.daily", slot=slot, enqueued_at=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduledRun.objects.create(job="t.daily", slot=slot, enqueued_at=slot)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_two_schedulers_at_once_enqueue_each_slot_once(only_jobs):
    for n in range(20):
        only_jobs(f"t.job{n:02d}", func=RECORD, every=5)
    now = local(2026, 3, 2, 10, 7)
    start = threading.Barrier(4)
    errors = []

    def scheduler():
        try:
            start.wait()
            tick(now)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ScheduledRun.objects.count() == 20
    assert len(seen_slots) == 20


def test_a_run_delivered_twice_runs_its_job_once(only_jobs, database_tasks):
    only_jobs("t.daily", func=RECORD, at="08:30")
    (run,) = tick(local(2026, 3, 2, 9, 0))
    assert execute(run.pk).status == RunStatus.DONE
    assert execute(run.pk).status == RunStatus.DONE
    assert len(seen_slots) == 1


def test_a_failing_job_is_recorded_with_its_error_and_the_next_slot_still_runs(only_jobs):
    only_jobs("t.broken", func="civgrid.scheduling.tests.jobs_for_tests.broken", every=60)
    (run,) = tick(local(2026, 3, 2, 9, 0))
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error == "RuntimeError: the gateway is down"
    assert run.started_at is not None and run.finished_at is not None and run.duration_ms >= 0
    (later,) = tick(local(2026, 3, 2, 10, 0))
    assert later.slot == local(2026, 3, 2, 10, 0)


def test_a_job_turned_off_is_not_enqueued(only_jobs, settings):
    only_jobs("t.off", func=RECORD, every=5, enabled=False)
    only_jobs("t.muted", func=RECORD, every=5)
    settings.CIVGRID_SCHEDULE_OFF = "t.muted"
    assert tick(local(2026, 3, 2, 9, 0)) == []


def test_the_office_sees_the_schedule_the_last_runs_and_the_failures(world, only_jobs):
    only_jobs("t.daily", func=RECORD, at="08:30")
    only_jobs("t.broken", func="civgrid.scheduling.tests.jobs_for_tests.broken", every=60)
    only_jobs("t.finding", func="civgrid.scheduling.tests.jobs_for_tests.finds_something", every=60)
    with time_machine.travel(local(2026, 3, 2, 9, 0), tick=False):
        tick(timezone.now())
        client = Client()
        client.login(username="office", password=PASSWORD)
        page = client.get(reverse("scheduling:index")).content.decode()
    assert "daily at 08:30" in page and "2026-03-03 08:30" in page  # the next due time
    assert "every 60 minutes" in page and "2026-03-02 10:00" in page
    assert "RuntimeError: the gateway is down" in page
    assert "three plans have nobody assigned" in page and "Needs attention" in page
    assert "ran for 08:30" in page


def test_only_the_office_opens_the_schedule(world):
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    assert client.get(reverse("scheduling:index")).status_code == 403


def test_every_registered_job_names_a_function_that_exists():
    names = {job.name for job in registry.jobs()}
    assert {
        "bulletins.stale_exports",
        "cases.overdue",
        "workcalendar.next_year",
        "notices.visits",
    } <= names
    for job in registry.jobs():
        assert callable(import_string(job.func)), job.name


def test_the_registered_jobs_run_on_an_empty_district():
    for run in tick(timezone.now()):
        run.refresh_from_db()
        assert run.status in (RunStatus.DONE, RunStatus.ATTENTION), (run.job, run.error)


def lost_run(job, slot, started, **kw):
    return ScheduledRun.objects.create(
        job=job, slot=slot, enqueued_at=started, status=RunStatus.RUNNING, started_at=started, **kw
    )


def test_a_run_of_todays_slot_whose_worker_died_runs_again_once(only_jobs):
    only_jobs("t.daily", func=RECORD, at="08:30")
    today = local(2026, 3, 2, 8, 30)
    with time_machine.travel(local(2026, 3, 2, 11, 0), tick=False):
        lost = lost_run("t.daily", today, local(2026, 3, 2, 8, 31))
        result = recover_interrupted_runs(timezone.now())
    assert result == "1 interrupted run(s) queued again, 0 marked failed"
    lost.refresh_from_db()
    # the test queue runs tasks at once: the slot's work was done on the second attempt
    assert (lost.status, lost.attempts) == (RunStatus.DONE, 2)
    assert seen_slots == [today]


def test_an_older_slot_or_a_second_death_is_marked_failed_and_a_busy_run_is_left(only_jobs):
    only_jobs("t.daily", func=RECORD, at="08:30")
    only_jobs("t.other", func=RECORD, every=5)
    with time_machine.travel(local(2026, 3, 2, 11, 0), tick=False):
        now = timezone.now()
        yesterday = lost_run("t.daily", local(2026, 3, 1, 8, 30), local(2026, 3, 1, 8, 31))
        twice = lost_run("t.daily", local(2026, 3, 2, 8, 30), local(2026, 3, 2, 8, 31), attempts=2)
        busy = lost_run("t.other", local(2026, 3, 2, 10, 55), now)
        assert recover_interrupted_runs(now) == "0 interrupted run(s) queued again, 2 marked failed"
    for run in (yesterday, twice, busy):
        run.refresh_from_db()
    assert yesterday.status == RunStatus.FAILED and yesterday.error.startswith("Interrupted")
    assert twice.status == RunStatus.FAILED
    assert busy.status == RunStatus.RUNNING
    assert seen_slots == []


def test_a_run_whose_task_was_lost_from_the_queue_is_enqueued_again(only_jobs):
    only_jobs("t.daily", func=RECORD, at="08:30")
    today = local(2026, 3, 2, 8, 30)
    with time_machine.travel(local(2026, 3, 2, 11, 0), tick=False):
        queued = ScheduledRun.objects.create(
            job="t.daily", slot=today, enqueued_at=local(2026, 3, 2, 8, 30)
        )
        recover_interrupted_runs(timezone.now())
    queued.refresh_from_db()
    assert queued.status == RunStatus.DONE and seen_slots == [today]


def test_finished_task_rows_older_than_thirty_days_are_pruned(database_tasks):
    old, recent = ping.enqueue(1), ping.enqueue(2)
    run_database_worker()
    DBTaskResult.objects.filter(id=old.id).update(
        finished_at=timezone.now() - dt.timedelta(days=31)
    )
    assert prune_task_results(timezone.now()) == "1 finished task row(s) deleted"
    assert [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)] == [recent.id]


def test_the_schedule_reads_in_chinese(world, only_jobs):
    only_jobs("t.daily", func=RECORD, at="08:30")
    only_jobs("t.monthly", func=RECORD, at="07:00", monthly_on=1)
    client = Client(headers={"accept-language": "zh-hans"})
    client.login(username="office", password=PASSWORD)
    client.cookies["django_language"] = "zh-hans"
    # The request activates Chinese in this thread; the override puts English back after it.
    with translation.override("en"):
        page = client.get(reverse("scheduling:index")).content.decode()
    assert "定时任务" in page and "每天 08:30" in page and "每月 1 日 07:00" in page
    assert "下次运行" in page and "尚未运行。" in page
