"""Periodic work (定时任务), called by the scheduler as `func(now)` (see schedule.py).

Each function is idempotent per slot: the notices it writes have unique keys naming the
deadline (or the day), so a slot run twice — a restart, two schedulers — writes nothing new.
Working days come from civgrid.lib.workdays with the office's calendar corrections.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone

from civgrid.cases import deadlines
from civgrid.cases.models import Case
from civgrid.cases.workflow import WITH_UNIT_STATES
from civgrid.lib import workdays
from civgrid.notices import delivery, outbox
from civgrid.notices.models import Event, NoticeRule
from civgrid.org.models import Person, Role, Unit
from civgrid.workcalendar.queries import get_overrides

# A visit plan's reminder comes this many days before its period ends.
VISIT_WARN_DAYS = 7


def _open_with_unit() -> list[Case]:
    return list(
        Case.objects.filter(status__in=list(WITH_UNIT_STATES), due_at__isnull=False)
        .select_related("unit", "grid", "category")
        .order_by("due_at", "id")
    )


def remind_due(now: dt.datetime) -> str:
    """临期 (the last day is at most 1 working day away) and 超期 (the deadline passed)."""
    today = timezone.localtime(now).date()
    overrides = get_overrides(today - dt.timedelta(days=366))
    soon = late = 0
    with transaction.atomic():
        for case in _open_with_unit():
            assert case.due_at is not None
            last = deadlines.due_day(case.due_at)
            slot = f"d{last.isoformat()}"
            if case.is_overdue(now):
                late += len(outbox.write(Event.OVERDUE, case=case, now=now, slot=slot))
            elif workdays.workdays_between(today, last, overrides) <= 1:
                soon += len(outbox.write(Event.DUE_SOON, case=case, now=now, slot=slot))
    return f"due soon {soon}, overdue {late}"


def overdue_workdays(case: Case, today: dt.date, overrides: workdays.Overrides) -> int:
    """Whole working days since the last allowed day (0 on the day after it, if a holiday)."""
    assert case.due_at is not None
    return workdays.workdays_between(deadlines.due_day(case.due_at), today, overrides)


def escalate(now: dt.datetime) -> str:
    """Overdue for N working days (N on each ESCALATED rule) → the rule's recipients: the
    unit's leader, the grid's responsible (分包) leader."""
    today = timezone.localtime(now).date()
    overrides = get_overrides(today - dt.timedelta(days=366))
    rules = list(NoticeRule.objects.filter(event=Event.ESCALATED, enabled=True))
    made = 0
    with transaction.atomic():
        for case in _open_with_unit():
            if not case.is_overdue(now):
                continue
            late = overdue_workdays(case, today, overrides)
            assert case.due_at is not None
            for rule in rules:
                if late >= rule.after_workdays:
                    slot = f"d{deadlines.due_day(case.due_at).isoformat()}"
                    made += len(
                        outbox.write(
                            Event.ESCALATED,
                            case=case,
                            now=now,
                            slot=slot,
                            recipients=[rule.recipient],
                            data={"workdays": late},
                        )
                    )
    return f"escalated {made}"


def daily_digest(now: dt.datetime) -> str:
    """A unit's day (每日汇总): its open, due-soon and overdue cases, to its clerks."""
    today = timezone.localtime(now).date()
    overrides = get_overrides(today - dt.timedelta(days=366))
    counts: dict[int, dict[str, int]] = {}
    for case in _open_with_unit():
        if case.unit_id is None:
            continue
        c = counts.setdefault(case.unit_id, {"open": 0, "soon": 0, "overdue": 0})
        c["open"] += 1
        assert case.due_at is not None
        if case.is_overdue(now):
            c["overdue"] += 1
        elif workdays.workdays_between(today, deadlines.due_day(case.due_at), overrides) <= 1:
            c["soon"] += 1
    made = 0
    with transaction.atomic():
        for unit in Unit.objects.filter(pk__in=counts):
            data = {"unit": unit.name, **counts[unit.pk]}
            clerks = Person.objects.filter(role=Role.UNIT_CLERK, unit=unit).select_related("user")
            for person in clerks:
                if person.user is not None and outbox.write_for_user(
                    Event.DIGEST, person.user, now=now, slot=today.isoformat(), data=data
                ):
                    made += 1
    return f"digests {made}"


def visit_plans_due(now: dt.datetime) -> str:
    """A visit plan's period ends within VISIT_WARN_DAYS and households of a grid are still
    unvisited (civgrid.visits.plans.due_plans): to that grid's workers, once per period."""
    from civgrid.visits.models import Household
    from civgrid.visits.plans import due_plans, workers_by_grid

    today = timezone.localtime(now).date()
    made = 0
    with transaction.atomic():
        for item in due_plans(now):
            if item.period.days_left(today) > VISIT_WARN_DAYS:
                continue
            per_grid = Counter(
                Household.objects.filter(pk__in=item.household_ids).values_list(
                    "grid_id", flat=True
                )
            )
            for grid_id, workers in workers_by_grid(set(per_grid)).items():
                for person in workers:
                    if person.user is None:
                        continue
                    data = {
                        "plan": item.plan.name,
                        "n": per_grid[grid_id],
                        "period": item.period.label,
                        "day": item.period.last_day.isoformat(),
                    }
                    slot = f"plan{item.plan.pk}:{item.period.start.isoformat()}:g{grid_id}"
                    if outbox.write_for_user(
                        Event.VISIT_DUE, person.user, now=now, slot=slot, data=data
                    ):
                        made += 1
    return f"visit reminders {made}"


def exports_ready(now: dt.datetime) -> str:
    """An export finished (civgrid.bulletins' ExportJob, done in the last day): to whoever
    asked for it. Read from the job rows rather than hooked into the runner, so this does not
    depend on how (thread, task) the export ran."""
    from civgrid.bulletins.models import ExportJob, JobStatus

    made = 0
    jobs = ExportJob.objects.filter(
        status=JobStatus.DONE, finished_at__gte=now - dt.timedelta(days=1)
    ).select_related("requested_by")
    with transaction.atomic():
        for job in jobs:
            if job.requested_by is None:
                continue
            data = {"name": job.download_name, "job": job.pk}
            if outbox.write_for_user(
                Event.EXPORT_READY, job.requested_by, now=now, slot=f"job{job.pk}", data=data
            ):
                made += 1
    return f"exports ready {made}"


def deliver(now: dt.datetime) -> int:
    """The safety net: whatever is due and stale claims of killed workers."""
    return delivery.deliver_due(now)
