"""Every change to a case (案件操作). One function per transition of civgrid.cases.workflow.

Each action: keyword-only `actor`, one transaction, the case row locked, the actor's role and
scope checked, the input validated, the version compared (optimistic locking), one immutable
CaseEvent written, the state changed with `update_fields`. Anything wrong raises a
CaseActionError with a message for the user, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases import deadlines
from civgrid.cases.errors import (  # callers import the refusals from here too
    CaseActionError,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    StaleCase,
)
from civgrid.cases.models import Case, CasePhoto, Category, Source, Urgency
from civgrid.cases.photos import PhotoInput, attach_photos
from civgrid.cases.queries import can_see
from civgrid.cases.scoping import (
    check_grid_in_scope,
    check_unit_for_case,
    send_down_refusal,
)
from civgrid.cases.steps import (
    MAX_TEXT,  # noqa: F401 (the bound forms check too; imported from here)
    clean_photos,
    clean_text,
    close_on_spot,
    commit,
    ref,
    set_status,
    write_event,
)
from civgrid.cases.workflow import TRANSITIONS, Transition
from civgrid.org.models import Role, Unit
from civgrid.org.queries import role_of
from civgrid.territory.models import Region

MAX_EXTENSION_DAYS = 30
# A bound on a hand-set deadline, not a deadline itself (those come from deadlines.py).
MAX_DEADLINE_AHEAD = dt.timedelta(days=366)


# --- helpers ------------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    """A whole number, and not a bool (True is an int to Python, not a count of days)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _condition_refusal(case: Case, name: str, actor: User | None) -> CaseActionError | None:
    """What refuses a transition beyond its state: the one place for these row conditions, read
    by the actions (raised) and by available_actions (the forms offered). `actor` is None for
    a member of the public (rate_public)."""
    if name == "request_extension" and case.has_pending_extension:
        return IllegalTransition(_("An extension request is already waiting for a decision."))
    if name == "decide_extension" and not case.has_pending_extension:
        return IllegalTransition(_("There is no extension request to decide."))
    if name == "send_down" and actor is not None:
        refusal = send_down_refusal(actor)
        if refusal is not None:
            return NotAllowed(refusal)
    if name == "reply" and case.replied_at is not None:
        return IllegalTransition(_("The reporter has already been answered."))
    if name == "rate":
        if case.replied_at is None:
            return IllegalTransition(_("The reporter has not been answered yet."))
        if case.satisfaction is not None:
            return IllegalTransition(_("This answer has already been rated."))
        if actor is not None and role_of(actor) == Role.RESIDENT and case.reporter_id != actor.pk:
            return NotAllowed(_("Only the reporter can rate the answer."))
    return None


def _begin(
    case: Case | int, transition_name: str, actor: User, expected_version: int | None
) -> tuple[Case, Transition]:
    """Lock the case and check, in order: who may act, where, on which version, in which state
    and under which row conditions (_condition_refusal)."""
    t = TRANSITIONS[transition_name]
    pk = case.pk if isinstance(case, Case) else case
    locked = Case.objects.select_for_update().get(pk=pk)
    if role_of(actor) not in t.roles:
        raise NotAllowed(_("Your role may not %(action)s.") % {"action": t.label})
    if not can_see(actor, locked):
        raise NotAllowed(_("This case is outside your responsibility."))
    _check_state(locked, t, actor, expected_version)
    return locked, t


def _check_state(
    locked: Case, t: Transition, actor: User | None, expected_version: int | None
) -> None:
    """The checks of _begin after who and where: the version, the state, the row conditions."""
    if expected_version is not None and locked.version != expected_version:
        raise StaleCase(
            _(
                "Someone else changed this case in the meantime (now version %(now)d, you saw "
                "%(seen)d). Reload it and try again."
            )
            % {"now": locked.version, "seen": expected_version}
        )
    if locked.status not in t.sources:
        raise IllegalTransition(
            _("A case that is “%(status)s” cannot be: %(action)s.")
            % {"status": locked.get_status_display(), "action": t.label}
        )
    refusal = _condition_refusal(locked, t.name, actor)
    if refusal is not None:
        raise refusal


# --- the transitions ------------------------------------------------------------------------


def fix_on_spot(
    case: Case | int,
    *,
    actor: User,
    expected_version: int | None,
    note: str,
    photos: Iterable[PhotoInput] | None = None,
) -> Case:
    """Fixed on the spot (现场整改): a reported problem closed by whoever fixed it there."""
    note = clean_text(note, "note", required=True, label=_("What was done"))
    evidence = clean_photos(photos)
    with transaction.atomic():
        locked, _t = _begin(case, "fix_on_spot", actor, expected_version)
        close_on_spot(locked, actor, timezone.now(), note, evidence)
    return locked


def register(
    case: Case | int,
    *,
    actor: User,
    expected_version: int | None,
    note: str = "",
    category: Category | None = None,
    urgency: str | None = None,
    grid: Region | None = None,
) -> Case:
    """Register (立案): accept the report onto the ledger, correcting its classification."""
    note = clean_text(note, "note", required=False, label=_("Note"))
    if urgency is not None and urgency not in Urgency.values:
        raise InvalidInput(_("Unknown urgency."), "urgency")
    if grid is not None and grid.level != Region.Level.GRID:
        raise InvalidInput(_("Choose a grid, not a larger region."), "grid")
    if category is not None and not category.is_active:
        raise InvalidInput(_("This category is no longer in use."), "category")
    with transaction.atomic():
        locked, t = _begin(case, "register", actor, expected_version)
        now = timezone.now()
        changes: dict[str, Any] = {}
        fields = ["status"]
        if category is not None and category.pk != locked.category_id:
            changes["category"] = [ref(locked.category), ref(category)]
            locked.category = category
            fields.append("category")
        if urgency is not None and urgency != locked.urgency:
            changes["urgency"] = [locked.urgency, urgency]
            locked.urgency = urgency
            fields.append("urgency")
        if grid is not None and grid.pk != locked.grid_id:
            check_grid_in_scope(actor, grid)
            changes["grid"] = [ref(locked.grid), ref(grid)]
            locked.grid = grid
            fields.append("grid")
        old = set_status(locked, t)
        commit(locked, now, fields)
        write_event(locked, t.name, actor, now, from_status=old, note=note, data=changes)
    return locked


def send_down(
    case: Case | int,
    *,
    actor: User,
    expected_version: int | None,
    district: Region,
    grid: Region | None = None,
    note: str = "",
) -> Case:
    """Send down (下派) to a district: the city office hands the case to a district, whose
    office then assigns it. The case becomes registered; a case placed in another district's
    grid needs a grid of the district it is sent to (the office knows where it really is)."""
    note = clean_text(note, "note", required=False, label=_("Note"))
    if district.level != Region.Level.DISTRICT:
        raise InvalidInput(_("Choose a district."), "district")
    if grid is not None and (
        grid.level != Region.Level.GRID or not grid.path.startswith(district.path)
    ):
        raise InvalidInput(_("Choose a grid of the district the case is sent to."), "grid")
    with transaction.atomic():
        locked, t = _begin(case, "send_down", actor, expected_version)
        check_grid_in_scope(actor, district, "district")
        if grid is None and (locked.grid is None or not locked.grid.path.startswith(district.path)):
            raise InvalidInput(_("Choose a grid of the district the case is sent to."), "grid")
        now = timezone.now()
        data: dict[str, Any] = {"district": ref(district)}
        fields = ["status"]
        if grid is not None and grid.pk != locked.grid_id:
            data["grid"] = [ref(locked.grid), ref(grid)]
            locked.grid = grid
            fields.append("grid")
        old = set_status(locked, t)
        commit(locked, now, fields)
        # civgrid.notices tells the district's office (its outbox listens to case events).
        write_event(locked, t.name, actor, now, from_status=old, note=note, data=data)
    return locked


def reject(case: Case | int, *, actor: User, expected_version: int | None, reason: str) -> Case:
    """Reject (不予立案): not a problem for the ledger; the reason goes to the reporter."""
    reason = clean_text(reason, "reason", required=True, label=_("Reason"))
    with transaction.atomic():
        locked, t = _begin(case, "reject", actor, expected_version)
        now = timezone.now()
        old = set_status(locked, t)
        locked.closed_at = now
        commit(locked, now, ["status", "closed_at"])
        write_event(locked, t.name, actor, now, from_status=old, note=reason)
    return locked


def mark_duplicate(
    case: Case | int,
    *,
    actor: User,
    expected_version: int | None,
    original: Case,
    note: str = "",
) -> Case:
    """Merge as duplicate (合并重复): the original case carries the work; this one closes."""
    note = clean_text(note, "note", required=False, label=_("Note"))
    with transaction.atomic():
        locked, t = _begin(case, "mark_duplicate", actor, expected_version)
        root = original
        while root.duplicate_of_id is not None:
            root = root.duplicate_of  # type: ignore[assignment]
        if root.pk == locked.pk:
            raise InvalidInput(_("A case cannot be a duplicate of itself."), "original")
        if not can_see(actor, root):
            raise InvalidInput(_("No such original case."), "original")
        now = timezone.now()
        old = set_status(locked, t)
        locked.duplicate_of = root
        locked.closed_at = now
        commit(locked, now, ["status", "duplicate_of", "closed_at"])
        write_event(
            locked,
            t.name,
            actor,
            now,
            from_status=old,
            note=note,
            data={"duplicate_of": {"id": root.pk, "name": root.tracking_code}},
        )
    return locked


def assign(
    case: Case | int,
    *,
    actor: User,
    expected_version: int | None,
    unit: Unit,
    due_on: dt.date | None = None,
    note: str = "",
) -> Case:
    """Assign (交办) to a responsible unit with a deadline in working days.

    Without `due_on` the deadline comes from the category and urgency (deadlines.py); the
    office may set an earlier or later last day by hand.
    """
    note = clean_text(note, "note", required=False, label=_("Note"))
    if not unit.is_active:
        raise InvalidInput(_("This unit is no longer active."), "unit")
    now = timezone.now()
    today = timezone.localdate(now)
    if due_on is not None and due_on < today:
        raise InvalidInput(_("The deadline cannot be in the past."), "due_on")
    if due_on is not None and due_on > today + MAX_DEADLINE_AHEAD:
        raise InvalidInput(_("The deadline can be at most one year ahead."), "due_on")
    with transaction.atomic():
        locked, t = _begin(case, "assign", actor, expected_version)
        check_unit_for_case(actor, locked, unit)
        due_at = (
            deadlines.due_at_for_day(due_on)
            if due_on is not None
            else deadlines.compute_due_at(locked.category, locked.urgency, now)
        )
        changes = {
            "unit": [ref(locked.unit), ref(unit)],
            "due_at": [_iso(locked.due_at), _iso(due_at)],
        }
        old = set_status(locked, t)
        locked.unit = unit
        locked.due_at = due_at
        locked.assigned_at = now
        locked.extension_days_requested = None
        locked.extension_reason = ""
        commit(
            locked,
            now,
            [
                "status",
                "unit",
                "due_at",
                "assigned_at",
                "extension_days_requested",
                "extension_reason",
            ],
        )
        write_event(locked, t.name, actor, now, from_status=old, note=note, data=changes)
    return locked


def accept(case: Case | int, *, actor: User, expected_version: int | None, note: str = "") -> Case:
    """Accept (签收): the unit confirms it has the case and starts work."""
    note = clean_text(note, "note", required=False, label=_("Note"))
    with transaction.atomic():
        locked, t = _begin(case, "accept", actor, expected_version)
        now = timezone.now()
        old = set_status(locked, t)
        commit(locked, now, ["status"])
        write_event(locked, t.name, actor, now, from_status=old, note=note)
    return locked


def return_case(
    case: Case | int, *, actor: User, expected_version: int | None, reason: str
) -> Case:
    """Return (退回): "not ours" — back to the office to assign to the right unit."""
    reason = clean_text(reason, "reason", required=True, label=_("Reason"))
    with transaction.atomic():
        locked, t = _begin(case, "return_case", actor, expected_version)
        now = timezone.now()
        changes = {"unit": [ref(locked.unit), None], "due_at": [_iso(locked.due_at), None]}
        old = set_status(locked, t)
        locked.unit = None
        locked.due_at = None
        locked.extension_days_requested = None
        locked.extension_reason = ""
        commit(
            locked,
            now,
            ["status", "unit", "due_at", "extension_days_requested", "extension_reason"],
        )
        write_event(locked, t.name, actor, now, from_status=old, note=reason, data=changes)
    return locked


def request_extension(
    case: Case | int,
    *,
    actor: User,
    expected_version: int | None,
    days: int,
    reason: str,
) -> Case:
    """Request extension (申请延期) by a number of working days, with a reason."""
    reason = clean_text(reason, "reason", required=True, label=_("Reason"))
    if not _is_int(days) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise InvalidInput(
            _("Ask for 1 to %(n)d working days.") % {"n": MAX_EXTENSION_DAYS}, "days"
        )
    with transaction.atomic():
        locked, t = _begin(case, "request_extension", actor, expected_version)
        now = timezone.now()
        locked.extension_days_requested = days
        locked.extension_reason = reason[:500]
        commit(locked, now, ["extension_days_requested", "extension_reason"])
        write_event(
            locked, t.name, actor, now, from_status=locked.status, note=reason, data={"days": days}
        )
    return locked


def decide_extension(
    case: Case | int,
    *,
    actor: User,
    expected_version: int | None,
    grant: bool,
    note: str = "",
    days: int | None = None,
) -> Case:
    """Grant or refuse (审批延期) the pending request; a grant may give fewer days than asked."""
    note = clean_text(note, "note", required=not grant, label=_("Reason for refusal"))
    with transaction.atomic():
        locked, t = _begin(case, "decide_extension", actor, expected_version)
        asked = locked.extension_days_requested or 0
        given = asked if days is None else days
        if not _is_int(given):
            raise InvalidInput(_("The number of days must be a whole number."), "days")
        if grant and not 1 <= given <= MAX_EXTENSION_DAYS:
            raise InvalidInput(
                _("Grant 1 to %(n)d working days.") % {"n": MAX_EXTENSION_DAYS}, "days"
            )
        now = timezone.now()
        data: dict[str, Any] = {"granted": grant, "days_requested": asked}
        fields = ["extension_days_requested", "extension_reason"]
        if grant and locked.due_at is not None:
            new_due = deadlines.extend_due_at(locked.due_at, given)
            data["days_granted"] = given
            data["due_at"] = [_iso(locked.due_at), _iso(new_due)]
            locked.due_at = new_due
            fields.append("due_at")
        locked.extension_days_requested = None
        locked.extension_reason = ""
        commit(locked, now, fields)
        write_event(locked, t.name, actor, now, from_status=locked.status, note=note, data=data)
    return locked


def submit(
    case: Case | int,
    *,
    actor: User,
    expected_version: int | None,
    note: str,
    photos: Iterable[PhotoInput] | None = None,
) -> Case:
    """Submit the fix (处置反馈) with what was done and photo evidence, for verification."""
    note = clean_text(note, "note", required=True, label=_("What was done"))
    evidence = clean_photos(photos)
    with transaction.atomic():
        locked, t = _begin(case, "submit", actor, expected_version)
        now = timezone.now()
        old = set_status(locked, t)
        locked.extension_days_requested = None
        locked.extension_reason = ""
        commit(locked, now, ["status", "extension_days_requested", "extension_reason"])
        event = write_event(
            locked,
            t.name,
            actor,
            now,
            from_status=old,
            note=note,
            data={"overdue": locked.due_at is not None and now >= locked.due_at},
        )
        attach_photos(locked, event, CasePhoto.Kind.EVIDENCE, evidence, actor, now)
    return locked


def verify_pass(
    case: Case | int,
    *,
    actor: User,
    expected_version: int | None,
    note: str = "",
    photos: Iterable[PhotoInput] | None = None,
) -> Case:
    """Verified (核查通过): the fix holds; the case is crossed off (销号)."""
    note = clean_text(note, "note", required=False, label=_("Note"))
    checked = clean_photos(photos)
    with transaction.atomic():
        locked, t = _begin(case, "verify_pass", actor, expected_version)
        now = timezone.now()
        old = set_status(locked, t)
        locked.closed_at = now
        commit(locked, now, ["status", "closed_at"])
        event = write_event(
            locked,
            t.name,
            actor,
            now,
            from_status=old,
            note=note,
            data={"on_time": locked.due_at is None or now < locked.due_at},
        )
        attach_photos(locked, event, CasePhoto.Kind.VERIFICATION, checked, actor, now)
    return locked


def verify_fail(
    case: Case | int,
    *,
    actor: User,
    expected_version: int | None,
    reason: str,
    photos: Iterable[PhotoInput] | None = None,
) -> Case:
    """Verification failed (核查不通过): back to the unit for rework (返工), same deadline."""
    reason = clean_text(reason, "reason", required=True, label=_("Reason"))
    checked = clean_photos(photos)
    with transaction.atomic():
        locked, t = _begin(case, "verify_fail", actor, expected_version)
        now = timezone.now()
        old = set_status(locked, t)
        locked.rework_count += 1
        commit(locked, now, ["status", "rework_count"])
        event = write_event(locked, t.name, actor, now, from_status=old, note=reason)
        attach_photos(locked, event, CasePhoto.Kind.VERIFICATION, checked, actor, now)
    return locked


def reply(case: Case | int, *, actor: User, expected_version: int | None, text: str) -> Case:
    """Reply to the reporter (答复): "件件有回音" — what was done, in words they can read."""
    text = clean_text(text, "text", required=True, label=_("Reply"))
    with transaction.atomic():
        locked, t = _begin(case, "reply", actor, expected_version)
        now = timezone.now()
        locked.reply = text
        locked.replied_at = now
        commit(locked, now, ["reply", "replied_at"])
        write_event(locked, t.name, actor, now, from_status=locked.status, note=text)
    return locked


def rate(
    case: Case | int,
    *,
    actor: User,
    expected_version: int | None,
    score: int,
    note: str = "",
) -> Case:
    """Record the reporter's satisfaction (满意度, 1-5) with the answer."""
    note = clean_text(note, "note", required=False, label=_("Note"))
    if not _is_int(score) or not 1 <= score <= 5:
        raise InvalidInput(_("Satisfaction is a score from 1 to 5."), "score")
    with transaction.atomic():
        locked, t = _begin(case, "rate", actor, expected_version)
        now = timezone.now()
        locked.satisfaction = score
        commit(locked, now, ["satisfaction"])
        write_event(
            locked, t.name, actor, now, from_status=locked.status, note=note, data={"score": score}
        )
    return locked


def rate_public(
    case: Case | int,
    *,
    actor_label: str,
    expected_version: int | None,
    score: int,
    note: str = "",
) -> Case:
    """The satisfaction (满意度, 1-5) of a reporter without an account, for a public report.

    The `rate` transition taken by the anonymous reporter: its states and conditions apply
    (answered, not rated yet); who the reporter is was established by the caller
    (civgrid.public checks the private token of the report) and is written as `actor_label`.
    """
    note = clean_text(note, "note", required=False, label=_("Note"))
    if not _is_int(score) or not 1 <= score <= 5:
        raise InvalidInput(_("Satisfaction is a score from 1 to 5."), "score")
    t = TRANSITIONS["rate"]
    with transaction.atomic():
        pk = case.pk if isinstance(case, Case) else case
        locked = Case.objects.select_for_update().get(pk=pk)
        if locked.source != Source.RESIDENT or locked.reporter_id is not None:
            raise NotAllowed(_("Only the reporter can rate the answer."))
        _check_state(locked, t, None, expected_version)
        now = timezone.now()
        locked.satisfaction = score
        commit(locked, now, ["satisfaction"])
        write_event(
            locked,
            t.name,
            None,
            now,
            from_status=locked.status,
            note=note,
            data={"score": score, "public": True},
            snapshot=(actor_label.strip()[:100], Role.RESIDENT),
        )
    return locked


def urge(case: Case | int, *, actor: User, expected_version: int | None, note: str) -> Case:
    """Urge (督办): a leader or the office presses the unit; recorded on the case."""
    note = clean_text(note, "note", required=True, label=_("Note"))
    with transaction.atomic():
        locked, t = _begin(case, "urge", actor, expected_version)
        now = timezone.now()
        commit(locked, now, [])
        write_event(locked, t.name, actor, now, from_status=locked.status, note=note)
    return locked


def comment(case: Case | int, *, actor: User, expected_version: int | None, note: str) -> Case:
    """A note on the case's record (备注), changing nothing else."""
    note = clean_text(note, "note", required=True, label=_("Note"))
    with transaction.atomic():
        locked, t = _begin(case, "comment", actor, expected_version)
        now = timezone.now()
        commit(locked, now, [])
        write_event(locked, t.name, actor, now, from_status=locked.status, note=note)
    return locked


# --- what the actor may do now ---------------------------------------------------------------


def available_actions(case: Case, actor: User) -> list[str]:
    """Transitions open to this actor on this case now (assumes the actor can see the case)."""
    role = role_of(actor)
    names = []
    for t in TRANSITIONS.values():
        if role not in t.roles or case.status not in t.sources:
            continue
        if _condition_refusal(case, t.name, actor) is None:
            names.append(t.name)
    return names


ACTIONS = {
    "register": register,
    "send_down": send_down,
    "reject": reject,
    "mark_duplicate": mark_duplicate,
    "fix_on_spot": fix_on_spot,
    "assign": assign,
    "accept": accept,
    "return_case": return_case,
    "request_extension": request_extension,
    "decide_extension": decide_extension,
    "submit": submit,
    "verify_pass": verify_pass,
    "verify_fail": verify_fail,
    "reply": reply,
    "rate": rate,
    "urge": urge,
    "comment": comment,
}
assert set(ACTIONS) == set(TRANSITIONS), "every transition has exactly one action"
