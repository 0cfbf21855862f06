"""The steps every change to a case is made of (案件操作的步骤), shared by the workflow actions
(civgrid.cases.actions) and by putting a problem on the ledger (civgrid.cases.reporting).

Checking free text and photos before anything is written, writing the immutable event,
committing a new version, and closing a case fixed on the spot. Both modules import this one,
and this one neither of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from civgrid.cases.errors import InvalidInput
from civgrid.cases.models import Case, CaseEvent, CasePhoto
from civgrid.cases.photos import PhotoInput, PhotoRefused, attach_photos, clean_uploads
from civgrid.cases.workflow import TRANSITIONS, Transition
from civgrid.lib.photos import CleanPhoto
from civgrid.org.queries import get_person, role_of

MAX_TEXT = 2000


def clean_photos(photos: Iterable[PhotoInput] | None, field: str = "photos") -> list[CleanPhoto]:
    """Validate every photo before anything is written: a bad one refuses the whole action."""
    try:
        return clean_uploads(photos)
    except PhotoRefused as exc:
        raise InvalidInput(str(exc), field) from exc


def clean_text(value: str | None, field: str, *, required: bool, label: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(_("%(label)s is required.") % {"label": label}, field)
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            _("%(label)s is too long (at most %(n)d characters).")
            % {"label": label, "n": MAX_TEXT},
            field,
        )
    return text


def actor_snapshot(actor: User | None) -> tuple[str, str]:
    """(name, role) of the actor as the record keeps them, whatever happens to the person."""
    person = get_person(actor)
    name = person.name if person else (actor.get_username() if actor else "")
    return name, role_of(actor) or ""


def write_event(
    case: Case,
    action: str,
    actor: User | None,
    now: dt.datetime,
    *,
    from_status: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    snapshot: tuple[str, str] | None = None,
) -> CaseEvent:
    """One step of the record. `snapshot` (name, role) stands for the actor when there is no
    user: a member of the public reporting or rating through civgrid.public."""
    name, role = snapshot if snapshot is not None else actor_snapshot(actor)
    return CaseEvent.objects.create(
        case=case,
        action=action,
        actor=actor,
        actor_name=name,
        actor_role=role,
        created_at=now,
        from_status=from_status,
        to_status=case.status,
        note=note,
        data=data or {},
    )


def ref(obj: Any) -> dict[str, Any] | None:
    """A row as an event's data names it: its id and what it was called then."""
    if obj is None:
        return None
    return {"id": obj.pk, "name": str(obj)}


def commit(case: Case, now: dt.datetime, fields: Sequence[str]) -> None:
    """Save the changed fields with the next version (optimistic locking, see Case.version)."""
    case.version += 1
    case.updated_at = now
    case.save(update_fields=[*fields, "version", "updated_at"])


def set_status(case: Case, t: Transition) -> str:
    """Move the case to the transition's target; returns the status it had."""
    old = case.status
    if t.target is not None:
        case.status = t.target
    return old


def close_on_spot(
    case: Case,
    actor: User,
    now: dt.datetime,
    note: str,
    evidence: list[CleanPhoto],
) -> None:
    """Fixed on the spot (现场整改), inside the caller's transaction: the fix_on_spot action
    on a reported case, or a report that says it was fixed there and then."""
    old = set_status(case, TRANSITIONS["fix_on_spot"])
    case.fixed_on_spot = True
    case.closed_at = now
    commit(case, now, ["status", "fixed_on_spot", "closed_at"])
    event = write_event(case, "fix_on_spot", actor, now, from_status=old, note=note)
    attach_photos(case, event, CasePhoto.Kind.EVIDENCE, evidence, actor, now)
