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
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from civgrid.notices import outbox
from civgrid.notices.eventtypes import (
    AppEvent,
    Renderer,
    default_rules,
    event_choices,
    get,
    register,
    registered,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = [
    "AppEvent",
    "Renderer",
    "default_rules",
    "event_choices",
    "get",
    "notify",
    "register",
    "registered",
]


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
    if get(code) is None:
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
