"""The kinds of notice events (通知事件): the ledger's (`Event`) and those other apps register.

This module imports nothing of civgrid.notices, so the models, the texts and the defaults can
all read it; `civgrid.notices.events` is what other apps use (register and notify).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    ASSIGNED = "assigned", _("Case assigned to the unit (交办)")
    RETURNED = "returned", _("Case returned by the unit (退回)")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested (申请延期)")
    EXTENSION_DECIDED = "extension_decided", _("Extension decided (延期审批)")
    SUBMITTED = "submitted", _("Fix submitted (处置反馈)")
    REWORK = "rework", _("Verification failed: rework (返工)")
    CLOSED = "closed", _("Case closed (销号)")
    URGED = "urged", _("Case urged (督办)")
    DUE_SOON = "due_soon", _("Deadline in 1 working day (临期)")
    OVERDUE = "overdue", _("Deadline passed (超期)")
    ESCALATED = "escalated", _("Overdue: escalated (超期升级)")
    ANSWERED = "answered", _("Answer to the resident (答复)")
    BAD_RATING = "bad_rating", _("Bad satisfaction rating (不满意)")
    DIGEST = "digest", _("Unit's daily digest (每日汇总)")
    VISIT_DUE = "visit_due", _("Visit plan falling due (走访到期)")
    EXPORT_READY = "export_ready", _("Export ready (导出完成)")


# Called with the Notice rows of one message (civgrid.notices.models.Notice; not imported here,
# so that the models can import this module): (subject, body, url or path).
Renderer = Callable[[Sequence[Any]], tuple[str, str, str]]


@dataclass(frozen=True)
class AppEvent:
    code: str
    label: str | Promise
    render: Renderer
    channels: tuple[str, ...] = ("inbox",)
    urgent: bool = False


_EVENTS: dict[str, AppEvent] = {}


def register(
    code: str,
    label: str | Promise,
    *,
    render: Renderer,
    channels: Iterable[str] = ("inbox",),
    urgent: bool = False,
) -> AppEvent:
    """Register (or re-register, e.g. on reload) an app's event; codes are at most 30
    characters and must not be one of the ledger's."""
    if len(code) > 30:
        raise ValueError(f"notice event code longer than 30 characters: {code!r}")
    if code in Event.values:
        raise ValueError(f"notice event code taken by the ledger: {code!r}")
    event = AppEvent(code, label, render, tuple(channels), urgent)
    _EVENTS[code] = event
    return event


def get(code: str) -> AppEvent | None:
    return _EVENTS.get(code)


def registered() -> list[AppEvent]:
    return list(_EVENTS.values())


def event_choices() -> list[tuple[str, Any]]:
    """The choices of Notice.event and NoticeRule.event: the ledger's and the apps' (a
    callable, so a new app event needs no migration)."""
    return [*Event.choices, *((e.code, e.label) for e in _EVENTS.values())]


def default_rules() -> list[tuple[str, str, list[str], int, bool]]:
    return [(e.code, "actor", list(e.channels), 0, e.urgent) for e in _EVENTS.values()]
