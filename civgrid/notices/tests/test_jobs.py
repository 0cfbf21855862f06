import datetime as dt

import pytest
import time_machine

from civgrid.cases import actions
from civgrid.notices import jobs
from civgrid.notices.delivery import deliver_due
from civgrid.notices.models import Notice
from civgrid.org.models import Role
from civgrid.testing import drive, make_person, report

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def assigned_due_on(world, last_day: dt.date, when: dt.datetime):
    with time_machine.travel(when, tick=False):
        case = drive(report(world), world, "register")
        return actions.assign(
            case,
            actor=world.office.user,
            expected_version=case.version,
            unit=world.unit,
            due_on=last_day,
        )


def test_escalation_counts_working_days_across_the_qingming_holiday(world):
    unit_leader = make_person(Role.LEADER, unit=world.unit, name="城管局局长")
    # Last day Thursday 2 April 2026; 4-6 April is the Qingming holiday.
    case = assigned_due_on(world, dt.date(2026, 4, 2), at(dt.date(2026, 3, 30)))
    # Tuesday 7 April: five calendar days late, but only two working days (3 and 7 April).
    jobs.escalate(at(dt.date(2026, 4, 7)))
    assert not Notice.objects.filter(event="escalated").exists()
    # Wednesday 8 April: three working days late, the default rule's N.
    jobs.escalate(at(dt.date(2026, 4, 8)))
    escalated = Notice.objects.filter(event="escalated", case=case)
    assert {n.user_id for n in escalated} == {unit_leader.user_id, world.leader.user_id}
    assert {n.data["workdays"] for n in escalated} == {3}


def test_escalation_run_twice_in_a_slot_writes_nothing_new(world):
    make_person(Role.LEADER, unit=world.unit)
    assigned_due_on(world, dt.date(2026, 4, 2), at(dt.date(2026, 3, 30)))
    jobs.escalate(at(dt.date(2026, 4, 8)))
    before = Notice.objects.count()
    assert jobs.escalate(at(dt.date(2026, 4, 8), 11)) == "escalated 0"
    assert Notice.objects.count() == before


def test_a_case_due_on_the_next_working_day_gets_one_due_soon_reminder(world):
    # Friday 3 April, last day Tuesday 7 April: the weekend and the holiday lie between.
    case = assigned_due_on(world, dt.date(2026, 4, 7), at(dt.date(2026, 3, 30)))
    jobs.remind_due(at(dt.date(2026, 4, 2)))
    assert not Notice.objects.filter(event="due_soon").exists()
    jobs.remind_due(at(dt.date(2026, 4, 3)))
    jobs.remind_due(at(dt.date(2026, 4, 3), 14))
    assert Notice.objects.filter(event="due_soon", case=case).count() == 1


def test_an_overdue_case_gets_one_overdue_notice_per_deadline(world):
    case = assigned_due_on(world, dt.date(2026, 4, 2), at(dt.date(2026, 3, 30)))
    jobs.remind_due(at(dt.date(2026, 4, 3)))
    jobs.remind_due(at(dt.date(2026, 4, 7)))
    assert Notice.objects.filter(event="overdue", case=case).count() == 1


def test_a_units_daily_digest_counts_its_open_and_overdue_cases_once_a_day(world):
    assigned_due_on(world, dt.date(2026, 4, 2), at(dt.date(2026, 3, 30)))
    assigned_due_on(world, dt.date(2026, 4, 30), at(dt.date(2026, 3, 30)))
    assert jobs.daily_digest(at(dt.date(2026, 4, 7), 8)) == "digests 1"
    assert jobs.daily_digest(at(dt.date(2026, 4, 7), 9)) == "digests 0"
    digest = Notice.objects.get(event="digest")
    assert digest.user_id == world.clerk.user_id
    assert (digest.data["open"], digest.data["overdue"]) == (2, 1)


def test_grid_workers_hear_of_a_visit_plan_ending_with_households_unvisited(world):
    from civgrid.visits.tests.factories import make_household, make_plan

    plan = make_plan(name="高龄老人季度走访")
    make_household(world.grid_a, aged_80_plus=True)
    make_household(world.grid_a, aged_80_plus=True)
    # 10 March 2026: three weeks before the quarter ends, too early.
    assert jobs.visit_plans_due(at(dt.date(2026, 3, 10))) == "visit reminders 0"
    assert jobs.visit_plans_due(at(dt.date(2026, 3, 25))) == "visit reminders 1"
    assert jobs.visit_plans_due(at(dt.date(2026, 3, 26))) == "visit reminders 0"
    notice = Notice.objects.get(event="visit_due")
    assert notice.user_id == world.worker_a.user_id
    assert (notice.data["plan"], notice.data["n"]) == (plan.name, 2)
    deliver_due(at(dt.date(2026, 3, 25)))
    assert (
        world.worker_a.user.inbox.get().subject == f"Visit plan {plan.name}: 2 households to visit"
    )


def test_whoever_asked_for_an_export_hears_once_that_it_is_ready(world):
    from civgrid.bulletins.models import ExportJob, ExportKind, JobStatus

    now = at(dt.date(2026, 3, 10))
    ExportJob.objects.create(
        kind=ExportKind.LEDGER_XLSX,
        params={},
        requested_by=world.office.user,
        status=JobStatus.DONE,
        download_name="台账.xlsx",
        created_at=now,
        finished_at=now,
    )
    assert jobs.exports_ready(now) == "exports ready 1"
    assert jobs.exports_ready(now + dt.timedelta(minutes=1)) == "exports ready 0"
    assert Notice.objects.get(event="export_ready").user_id == world.office.user_id
    deliver_due(now)
    assert world.office.user.inbox.get().subject == "Your export is ready: 台账.xlsx"
