"""Notice events of other apps (通知事件登记): how an app makes its own events reach people.

The ledger's events are the `Event` choices in models.py. Every other app (enterprises'
hidden dangers, appraisals, volunteers, assistance rolls…) registers its events here from its
`AppConfig.ready()`, so adding one needs no change and no migration in civgrid.notices:

    from civgrid.notices import events
    events.register(
        "hazard_due", _("Hidden danger due for re-inspection (隐患复查到期)"),
        render=lambda notices: (subject, body, "/safety/hazards/"),
        channels=("inbox", "webpush"),
    )

and writes a notice to each user concerned, inside its own transaction:

    events.notify("hazard_due", users, now=now, slot=f"hazard{pk}:{day}", data={...})

A registered event gets a default rule (recipient "who the app names", the given channels),
which the office can change or turn off like any other (Settings → Notice rules). `slot` names
the occurrence: a slot notified twice writes nothing the second time. `render` is called with
the notices of one message inside the recipient's language and returns (subject, body, url);
the url may be a path (the public address is put in front).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from civgrid.notices.models import Notice

Renderer = Callable[[Sequence["Notice"]], tuple[str, str, str]]


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
    from civgrid.notices.models import Event

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
    from civgrid.notices.models import Event

    return [*Event.choices, *((e.code, e.label) for e in _EVENTS.values())]


def default_rules() -> list[tuple[str, str, list[str], int, bool]]:
    return [(e.code, "actor", list(e.channels), 0, e.urgent) for e in _EVENTS.values()]


def notify(
    code: str,
    users: Iterable[User | None],
    *,
    now: dt.datetime,
    slot: str,
    data: dict[str, Any] | None = None,
) -> int:
    """Write the event's notice to each user (None and repeats skipped); returns how many were
    new. Call it inside the transaction of the change that causes it."""
    from civgrid.notices import outbox

    if code not in _EVENTS:
        raise KeyError(f"notice event not registered: {code!r}")
    made = 0
    seen: set[int] = set()
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        if outbox.write_for_user(code, user, now=now, slot=slot, data=data or {}):
            made += 1
    return made
