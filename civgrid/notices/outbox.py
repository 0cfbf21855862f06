"""Writing the outbox (see the design in models.py): from an event to notices and deliveries.

Everything here runs inside the caller's transaction; the only thing scheduled for after the
commit is the deliver task, so a rolled-back event sends nothing and a committed one is never
forgotten (a delivery left pending is picked up by the next run of `deliver_due`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from civgrid.cases.models import Case, CaseEvent
from civgrid.notices.models import (
    BATCHED_EVENTS,
    ROBOT_CHANNELS,
    Delivery,
    Event,
    Notice,
    NoticeRule,
    Preference,
    Recipient,
    UnitWebhook,
)
from civgrid.notices.residents import resident_phone, resident_token
from civgrid.org.models import Person, Role, Unit

log = logging.getLogger(__name__)

# How long deliveries of a batchable event wait for more of the same (twenty cases assigned
# at once make one message).
BATCH_WINDOW = dt.timedelta(minutes=2)

# Case actions (CaseEvent.action) -> the notice event they cause.
ACTION_EVENTS: dict[str, str] = {
    "assign": Event.ASSIGNED,
    "return_case": Event.RETURNED,
    "request_extension": Event.EXTENSION_REQUESTED,
    "decide_extension": Event.EXTENSION_DECIDED,
    "submit": Event.SUBMITTED,
    "verify_fail": Event.REWORK,
    "verify_pass": Event.CLOSED,
    "urge": Event.URGED,
    "reply": Event.ANSWERED,
}
BAD_RATING_MAX = 2  # a score at or below this is listed for the office (as 12345 lines do)


@dataclass(frozen=True)
class Target:
    """One recipient: a user, a unit's group, or the resident of a case."""

    user: User | None = None
    unit: Unit | None = None
    resident: bool = False

    @property
    def label(self) -> str:
        if self.user is not None:
            return f"u{self.user.pk}"
        if self.unit is not None:
            return f"unit{self.unit.pk}"
        return "resident"


def rules_for(event: str) -> list[NoticeRule]:
    return list(NoticeRule.objects.filter(event=event, enabled=True))


def _users(people: Iterable[Person]) -> list[User]:
    return [p.user for p in people if p.user is not None and p.user.is_active]


def grid_leaders(case: Case) -> list[Person]:
    """The responsible (分包) leaders of the case's grid: a leader assigned the grid or any
    region above it, or the case's site."""
    q = Q(pk__in=[])
    if case.grid is not None:
        ancestors = [int(x) for x in case.grid.path.strip("/").split("/") if x]
        q |= Q(regions__in=ancestors or [case.grid_id])
    if case.site_id is not None:
        q |= Q(sites=case.site_id)
    return list(Person.objects.filter(q, role=Role.LEADER).select_related("user").distinct())


def offices_for(case: Case | None) -> list[Person]:
    """The campaign offices nearest the case (一市多区): its district's office when it has one,
    else the office of the region above it, else the city office (no region). Without a case,
    or a case without a grid, every office."""
    offices = Person.objects.filter(role=Role.OFFICE).select_related("user")
    if case is None or case.grid is None:
        return list(offices)
    ancestors = case.grid.ancestor_ids
    depth = {pk: i for i, pk in enumerate(ancestors)}
    best: dict[int, int] = {}  # person -> the depth of their deepest region above the case
    unassigned: list[Person] = []
    by_pk = {}
    for person in offices.prefetch_related("regions"):
        by_pk[person.pk] = person
        regions = list(person.regions.all())
        if not regions:
            unassigned.append(person)
            continue
        matched = [depth[r.pk] for r in regions if r.pk in depth]
        if matched:
            best[person.pk] = max(matched)
    if not best:
        return unassigned
    deepest = max(best.values())
    return [by_pk[pk] for pk, d in best.items() if d == deepest]


def district_offices(district_id: int) -> list[Person]:
    """The offices of one district (those assigned the district itself)."""
    return list(Person.objects.filter(role=Role.OFFICE, regions=district_id).select_related("user"))


def people_for(recipient: str, case: Case | None, actor: User | None = None) -> list[User]:
    """The users a rule's recipient means for this case."""
    people = Person.objects.select_related("user")
    if recipient == Recipient.OFFICE:
        return _users(offices_for(case))
    if recipient == Recipient.ACTOR:
        return [actor] if actor is not None else []
    if case is None:
        return []
    if recipient == Recipient.UNIT and case.unit_id is not None:
        return _users(people.filter(role=Role.UNIT_CLERK, unit=case.unit_id))
    if recipient == Recipient.UNIT_LEADER and case.unit_id is not None:
        return _users(people.filter(role=Role.LEADER, unit=case.unit_id))
    if recipient == Recipient.GRID_LEADER:
        return _users(grid_leaders(case))
    if recipient == Recipient.GRID_WORKER and case.grid_id is not None:
        return _users(people.filter(role=Role.GRID_WORKER, regions=case.grid_id))
    if recipient == Recipient.REPORTER and case.reporter is not None:
        return [case.reporter] if case.reporter.is_active else []
    return []


def channels_for(user: User | None, channels: Iterable[str]) -> list[str]:
    """The rule's channels minus those the user turned off (the inbox cannot be)."""
    off: set[str] = set()
    if user is not None:
        pref = Preference.objects.filter(user=user).first()
        off = set(pref.channels_off) if pref else set()
    return [c for c in channels if c == "inbox" or c not in off]


def write(
    event: str,
    *,
    case: Case | None,
    now: dt.datetime,
    slot: str,
    actor: User | None = None,
    data: dict[str, Any] | None = None,
    recipients: Iterable[str] | None = None,
    urgent: bool = False,
) -> list[Notice]:
    """The notices of one event occurrence (`slot` names it: the case event's id, a day...),
    one per recipient, each with a delivery per channel. Idempotent through Notice.key."""
    made: list[Notice] = []
    for rule in rules_for(event):
        if recipients is not None and rule.recipient not in recipients:
            continue
        for target, channels in targets(rule, case, actor):
            if not channels:
                continue
            notice = _notice(event, case, now, slot, target, rule.urgent or urgent, data or {})
            if notice is None:
                continue
            due = now + BATCH_WINDOW if event in BATCHED_EVENTS else now
            Delivery.objects.bulk_create(
                [Delivery(notice=notice, channel=c, due_at=due) for c in channels]
            )
            made.append(notice)
    if made:
        schedule_delivery()
    return made


def targets(
    rule: NoticeRule, case: Case | None, actor: User | None
) -> list[tuple[Target, list[str]]]:
    if rule.recipient == Recipient.RESIDENT:
        ok = case is not None and bool(resident_phone(case))
        return [(Target(resident=True), [c for c in rule.channels if c == "sms"])] if ok else []
    out: list[tuple[Target, list[str]]] = []
    personal = [c for c in rule.channels if c not in ROBOT_CHANNELS]
    robots = [c for c in rule.channels if c in ROBOT_CHANNELS]
    for user in people_for(rule.recipient, case, actor):
        out.append((Target(user=user), channels_for(user, personal)))
    # A unit's group robot hears once per event, not once per clerk.
    if robots and rule.recipient == Recipient.UNIT and case is not None and case.unit:
        kinds = set(UnitWebhook.objects.filter(unit=case.unit).values_list("kind", flat=True))
        out.append((Target(unit=case.unit), [c for c in robots if c in kinds]))
    return out


def _notice(
    event: str,
    case: Case | None,
    now: dt.datetime,
    slot: str,
    target: Target,
    urgent: bool,
    data: dict[str, Any],
) -> Notice | None:
    key = f"{event}:{case.pk if case else '-'}:{slot}:{target.label}"
    if Notice.objects.filter(key=key).exists():
        return None
    return Notice.objects.create(
        key=key,
        event=event,
        case=case,
        user=target.user,
        unit=target.unit,
        to_resident=target.resident,
        urgent=urgent,
        data=data,
        created_at=now,
    )


def write_for_user(
    event: str, user: User, *, now: dt.datetime, slot: str, data: dict[str, Any]
) -> Notice | None:
    """A notice without a case (a digest, a visit plan, an export) to one user, through the
    channels of the event's enabled rule; None when there is no rule or it was written."""
    rule = NoticeRule.objects.filter(event=event, enabled=True).first()
    if rule is None:
        return None
    channels = channels_for(user, [c for c in rule.channels if c not in ROBOT_CHANNELS])
    notice = _notice(event, None, now, slot, Target(user=user), rule.urgent, data)
    if notice is None or not channels:
        return notice
    Delivery.objects.bulk_create([Delivery(notice=notice, channel=c, due_at=now) for c in channels])
    schedule_delivery()
    return notice


def schedule_delivery() -> None:
    """Enqueue the deliver task once the transaction commits (never before: the worker must
    see the rows). Several events in one transaction enqueue once: the callback already
    waiting in the connection's on-commit list (which a rollback empties) is enough."""
    conn = transaction.get_connection()
    if any(getattr(entry[1], "civgrid_deliver", False) for entry in conn.run_on_commit):
        return

    def enqueue() -> None:
        from civgrid.notices.tasks import deliver

        try:
            deliver.enqueue()
        except Exception:  # the periodic notices.deliver job sends them a minute later
            log.exception("could not enqueue the deliver task")

    enqueue.civgrid_deliver = True  # type: ignore[attr-defined]
    transaction.on_commit(enqueue)


def on_case_event(sender: type, instance: CaseEvent, created: bool, **kwargs: Any) -> None:
    """post_save of CaseEvent: inside the case action's transaction (the outbox)."""
    if not created or kwargs.get("raw"):
        return
    case = instance.case
    event = ACTION_EVENTS.get(instance.action)
    slot = f"e{instance.pk}"
    if instance.action == "send_down":
        _sent_down(case, instance)
        return
    if instance.action == "rate":
        score = (instance.data or {}).get("score")
        if isinstance(score, int) and score <= BAD_RATING_MAX:
            write(
                Event.BAD_RATING,
                case=case,
                now=instance.created_at,
                slot=slot,
                data={"score": score},
            )
        return
    if event is None:
        return
    data: dict[str, Any] = {"note": instance.note[:300]}
    if event == Event.ANSWERED:
        data = {"note": instance.note[:500]}
        _issue_resident_link(case, instance)
    if event == Event.EXTENSION_DECIDED:
        data["granted"] = bool((instance.data or {}).get("granted", True))
    write(event, case=case, now=instance.created_at, slot=slot, actor=instance.actor, data=data)


SENT_DOWN = "case_sent_down"


def _sent_down(case: Case, event: CaseEvent) -> None:
    """The city office sent a case down (下派): its district's office hears of it, to assign.
    (An event registered like other apps' (NoticesConfig.ready), written here directly.)"""
    district = (event.data or {}).get("district") or {}
    if not isinstance(district.get("id"), int):
        return
    data = {
        "case": case.pk,
        "code": case.tracking_code,
        "district": str(district.get("name", "")),
        "note": event.note[:300],
    }
    for user in _users(district_offices(district["id"])):
        write_for_user(SENT_DOWN, user, now=event.created_at, slot=f"e{event.pk}", data=data)


def render_sent_down(notices: Any) -> tuple[str, str, str]:
    from django.utils.translation import gettext as _

    first = notices[0].data or {}
    codes = "、".join(str((n.data or {}).get("code", "")) for n in notices)
    subject = _("Case sent down by the city office: %(codes)s") % {"codes": codes}
    body = "\n".join(
        f"{(n.data or {}).get('code', '')} → {(n.data or {}).get('district', '')}"
        + (f": {(n.data or {}).get('note')}" if (n.data or {}).get("note") else "")
        for n in notices
    )
    return subject, body, f"/cases/{first.get('case', '')}/"


def _issue_resident_link(case: Case, event: CaseEvent) -> None:
    """A second private link for the resident, issued with the answer (the first one, given
    at report time, keeps working): see civgrid.public.actions.add_private_link."""
    if (
        not resident_phone(case)
        or not NoticeRule.objects.filter(
            event=Event.ANSWERED, recipient=Recipient.RESIDENT, enabled=True
        ).exists()
    ):
        return
    from civgrid.public.actions import add_private_link

    key = f"{Event.ANSWERED}:{case.pk}:e{event.pk}:resident"
    add_private_link(case.public_report, resident_token(key), event.created_at)
