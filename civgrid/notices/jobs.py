"""Periodic work (定时任务), called by the scheduler as `func(now)` (see schedule.py).

Each function is idempotent per slot: the notices it writes have unique keys naming the
deadline (or the day), so a slot run twice — a restart, two schedulers — writes nothing new.
Working days come from civgrid.lib.workdays with the office's calendar corrections.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from civgrid.cases import deadlines
from civgrid.cases.models import Case
from civgrid.cases.workflow import WITH_UNIT_STATES
from civgrid.lib import workdays
from civgrid.notices import delivery, outbox
from civgrid.notices.models import Event, Notice, NoticeRule, Recipient
from civgrid.org.models import Person, Role, Unit
from civgrid.workcalendar.queries import get_overrides


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
                made += _digest(person, data, today, now)
    return f"digests {made}"


def _digest(person: Person, data: dict[str, object], today: dt.date, now: dt.datetime) -> int:
    rule = NoticeRule.objects.filter(
        event=Event.DIGEST, recipient=Recipient.UNIT, enabled=True
    ).first()
    if rule is None or person.user is None:
        return 0
    key = f"{Event.DIGEST}:-:{today.isoformat()}:u{person.user.pk}"
    notice, created = Notice.objects.get_or_create(
        key=key,
        defaults={"event": Event.DIGEST, "user": person.user, "data": data, "created_at": now},
    )
    if not created:
        return 0
    channels = outbox.channels_for(person.user, rule.channels)
    from civgrid.notices.models import Delivery

    Delivery.objects.bulk_create([Delivery(notice=notice, channel=c, due_at=now) for c in channels])
    outbox.schedule_delivery()
    return 1


def deliver(now: dt.datetime) -> int:
    """The safety net: whatever is due and stale claims of killed workers."""
    return delivery.deliver_due(now)
