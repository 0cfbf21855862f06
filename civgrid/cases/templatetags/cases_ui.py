"""Template helpers of the ledger pages: labels of stored codes, deadlines, the facts of an event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civgrid.cases import deadlines
from civgrid.cases.models import Case, CaseEvent, Source, Urgency, mask_phone, sources_for
from civgrid.cases.workflow import TRANSITIONS, Status
from civgrid.org.models import Role

register = template.Library()

REPORTED_LABEL = gettext_lazy("Reported (上报)")

# Badge colour families: the ledger reads at a glance which cases wait for whom.
_FAMILY = {
    Status.REPORTED: "new",
    Status.REGISTERED: "new",
    Status.ASSIGNED: "work",
    Status.IN_PROGRESS: "work",
    Status.RETURNED: "work",
    Status.REWORK: "rework",
    Status.SUBMITTED: "check",
    Status.CLOSED: "done",
    Status.REJECTED: "void",
    Status.DUPLICATE: "void",
}


@register.filter
def usual_source(user: Any) -> str:
    """The source a report by this user gets unless they choose (the first of sources_for)."""
    sources = sources_for(user)
    return sources[0].value if sources else ""


@register.filter
def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


@register.filter
def status_family(value: str) -> str:
    return _FAMILY.get(value, "new")  # type: ignore[call-overload]


@register.filter
def role_label(value: str) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return value


@register.filter
def action_label(name: str) -> str:
    if name == "report":
        return str(REPORTED_LABEL)
    transition = TRANSITIONS.get(name)
    return str(transition.label) if transition else name


@register.filter
def last_day(due_at: dt.datetime | None) -> dt.date | None:
    """The last day allowed, as the office says it ("2月27日前整改完毕")."""
    return deadlines.due_day(due_at) if due_at else None


@register.filter
def overdue_at(case: Case, now: dt.datetime) -> bool:
    return case.is_overdue(now)


@register.filter
def masked(phone: str) -> str:
    return mask_phone(phone or "")


def _name(ref: Any) -> str:
    if isinstance(ref, dict):
        return str(ref.get("name", ""))
    return "—" if ref in (None, "") else str(ref)


def _day(iso: str | None) -> str:
    if not iso:
        return "—"
    try:
        return date_format(deadlines.due_day(dt.datetime.fromisoformat(iso)), "Y-m-d")
    except ValueError:
        return iso


def _change(old: str, new: str) -> str:
    return f"{old} → {new}"


def _choice(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _urgency(value: Any) -> str:
    return _choice(Urgency, value)


@register.simple_tag
def event_facts(event: CaseEvent, original_hidden: bool = False) -> list[tuple[str, str]]:
    """What an event changed or recorded, as (label, text) lines for the timeline;
    `original_hidden`: the original of a duplicate is outside the reader's scope."""
    data = event.data or {}
    facts: list[tuple[str, str]] = []
    for key, value in data.items():
        pair = isinstance(value, list) and len(value) == 2
        if key == "unit" and pair:
            facts.append((_("Unit"), _change(_name(value[0]), _name(value[1]))))
        elif key == "due_at" and pair:
            facts.append((_("Last day"), _change(_day(value[0]), _day(value[1]))))
        elif key in ("category", "grid"):
            label = _("Category") if key == "category" else _("Grid")
            text = _change(_name(value[0]), _name(value[1])) if pair else _name(value)
            facts.append((label, text))
        elif key == "source":
            facts.append((_("Source"), _choice(Source, value)))
        elif key == "urgency" and pair:
            facts.append((_("Urgency"), _change(_urgency(value[0]), _urgency(value[1]))))
        elif key == "days":
            facts.append((_("Working days requested"), str(value)))
        elif key == "days_requested":
            continue  # shown with the request itself
        elif key == "granted":
            facts.append((_("Decision"), _("Granted") if value else _("Refused")))
        elif key == "days_granted":
            facts.append((_("Working days granted"), str(value)))
        elif key == "score":
            facts.append((_("Satisfaction"), f"{value} / 5"))
        elif key == "duplicate_of":
            text = _("a case outside your scope") if original_hidden else _name(value)
            facts.append((_("Duplicate of"), text))
        elif key == "overdue":
            if value:
                facts.append((_("Deadline"), _("submitted after the deadline")))
        elif key == "on_time":
            facts.append((_("Deadline"), _("closed on time") if value else _("closed late")))
        else:
            facts.append((key, _name(value)))
    return facts
