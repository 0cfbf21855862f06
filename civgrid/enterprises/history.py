"""The enterprise file's history page (一企一档的全部记录) gathers entries from every app.

The file's own events come from here; higher apps (safety checks, hidden dangers, 约谈,
service visits) add theirs by registering a function in their AppConfig.ready():
`history.register(fn)`, `fn(enterprise, user) -> list[Entry]` — so this app imports none of
them (a lower app never imports a higher one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from civgrid.enterprises.models import Enterprise
from civgrid.org.queries import AnyUser


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    kind: str  # a short label: "检查", "隐患", "档案"…
    text: str
    url: str = ""
    level: str = ""  # "", "warning", "danger", "done"
    details: tuple[str, ...] = ()


Source = Callable[[Enterprise, AnyUser | None], list[Entry]]
_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def entries(enterprise: Enterprise, user: AnyUser | None, *, limit: int = 300) -> list[Entry]:
    """Every app's entries for the file, newest first."""
    found: list[Entry] = []
    for source in _sources:
        found.extend(source(enterprise, user))
    found.sort(key=lambda e: e.at, reverse=True)
    return found[:limit]


def file_events(enterprise: Enterprise, user: AnyUser | None) -> list[Entry]:
    out = []
    for event in enterprise.events.all()[:200]:
        details = tuple(
            f"{name}: {old or '—'} → {new or '—'}" for name, (old, new) in event.changes.items()
        )
        text = f"{event.get_action_display()} · {event.by_name}"
        if event.note:
            text += f" · {event.note}"
        out.append(Entry(event.at, "file", text, details=details))
    return out


register(file_events)
