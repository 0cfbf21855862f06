"""The case workflow (案件流程): its states and the one table of allowed transitions.

    (the city office may first send a reported, registered or returned case down to a
     district (下派): it becomes registered there and the district office assigns it)

    reported ─┬─> fixed on the spot ──────────────────────────────────────────┐
              └─> registered (立案) ─> assigned (交办) ─> in progress ─> submitted
                     │                    │  ▲                              │
                     └─> rejected /       │  └── rework (返工) <── verify ✗ ┤
                         duplicate        ├─> returned (退回) ─> re-assigned │
                                          └─> extension requested/decided   ▼
                                                          verify ✓ ─> closed (销号)
    closed/rejected/duplicate ─> reply to reporter ─> satisfaction rating

Each transition here is carried out by exactly one function of civgrid.cases.actions; who may
take it is `roles` plus the scope rules in civgrid.cases.queries.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civgrid.org.models import Role


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported (待立案)")
    REGISTERED = "registered", _("Registered (已立案)")
    ASSIGNED = "assigned", _("Assigned (已交办)")
    IN_PROGRESS = "in_progress", _("In progress (整改中)")
    SUBMITTED = "submitted", _("Fix submitted (待核查)")
    REWORK = "rework", _("Rework (返工)")
    RETURNED = "returned", _("Returned (已退回)")
    CLOSED = "closed", _("Closed (已销号)")
    REJECTED = "rejected", _("Rejected (不予立案)")
    DUPLICATE = "duplicate", _("Duplicate (重复)")


CLOSED_STATES = frozenset({Status.CLOSED, Status.REJECTED, Status.DUPLICATE})
OPEN_STATES = frozenset(set(Status) - CLOSED_STATES)
# The same, in a fixed order for SQL: the partial index on open deadlines and the overdue
# query must spell the condition identically for PostgreSQL to use the index (and a set's
# order changes with the hash seed, which would make migrations flap).
CLOSED_VALUES = tuple(sorted(s.value for s in CLOSED_STATES))
# States in which the responsible unit holds the case and its deadline runs.
WITH_UNIT_STATES = frozenset({Status.ASSIGNED, Status.IN_PROGRESS, Status.REWORK})

S = Status
R = Role


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[str]
    target: str | None  # None: the status stays (an event without a state change)
    roles: frozenset[str]


def _t(
    name: str, label: Promise, sources: Collection[str], target: str | None, roles: Collection[str]
) -> Transition:
    return Transition(name, label, frozenset(sources), target, frozenset(roles))


_CLOSED = {S.CLOSED, S.REJECTED, S.DUPLICATE}
_ANY = set(Status)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("register", _("Register (立案)"), {S.REPORTED}, S.REGISTERED, {R.OFFICE, R.INSPECTOR}),
        # The city office hands a case to a district (下派); its office then assigns it.
        _t(
            "send_down",
            _("Send down to a district (下派)"),
            {S.REPORTED, S.REGISTERED, S.RETURNED},
            S.REGISTERED,
            {R.OFFICE},
        ),
        _t(
            "reject",
            _("Reject (不予立案)"),
            {S.REPORTED, S.REGISTERED},
            S.REJECTED,
            {R.OFFICE, R.INSPECTOR},
        ),
        _t(
            "mark_duplicate",
            _("Merge as duplicate (合并重复)"),
            {S.REPORTED, S.REGISTERED},
            S.DUPLICATE,
            {R.OFFICE, R.INSPECTOR},
        ),
        _t(
            "fix_on_spot",
            _("Fixed on the spot (现场整改)"),
            {S.REPORTED},
            S.CLOSED,
            {R.OFFICE, R.INSPECTOR, R.GRID_WORKER},
        ),
        _t(
            "assign",
            _("Assign to unit (交办)"),
            {S.REGISTERED, S.RETURNED},
            S.ASSIGNED,
            {R.OFFICE, R.INSPECTOR},
        ),
        _t("accept", _("Accept (签收)"), {S.ASSIGNED}, S.IN_PROGRESS, {R.UNIT_CLERK}),
        _t(
            "return_case",
            _("Return: not ours (退回)"),
            {S.ASSIGNED, S.IN_PROGRESS},
            S.RETURNED,
            {R.UNIT_CLERK},
        ),
        _t(
            "request_extension",
            _("Request extension (申请延期)"),
            set(WITH_UNIT_STATES),
            None,
            {R.UNIT_CLERK},
        ),
        _t(
            "decide_extension",
            _("Decide extension (审批延期)"),
            set(WITH_UNIT_STATES),
            None,
            {R.OFFICE},
        ),
        _t(
            "submit", _("Submit fix (处置反馈)"), set(WITH_UNIT_STATES), S.SUBMITTED, {R.UNIT_CLERK}
        ),
        _t(
            "verify_pass",
            _("Verified: close (核查通过, 销号)"),
            {S.SUBMITTED},
            S.CLOSED,
            {R.OFFICE, R.INSPECTOR},
        ),
        _t(
            "verify_fail",
            _("Verification failed: rework (核查不通过, 返工)"),
            {S.SUBMITTED},
            S.REWORK,
            {R.OFFICE, R.INSPECTOR},
        ),
        _t("reply", _("Reply to reporter (答复)"), _CLOSED, None, {R.OFFICE, R.GRID_WORKER}),
        _t(
            "rate",
            _("Rate the answer (满意度)"),
            _CLOSED,
            None,
            {R.OFFICE, R.RESIDENT, R.GRID_WORKER},
        ),
        _t("urge", _("Urge (督办)"), set(OPEN_STATES), None, {R.OFFICE, R.INSPECTOR, R.LEADER}),
        _t(
            "comment",
            _("Comment (备注)"),
            _ANY,
            None,
            {R.OFFICE, R.INSPECTOR, R.LEADER, R.UNIT_CLERK, R.GRID_WORKER},
        ),
    ]
}


def workflow_markdown() -> str:
    """The table as Markdown, for docs/workflow.md (`civgrid workflow-table`)."""
    with translation.override("en"):
        lines = [
            "# The case workflow",
            "",
            "Generated by `civgrid workflow-table > docs/workflow.md` from "
            "`civgrid/cases/workflow.py`; a test keeps the two equal. The conditions beyond "
            "the state (a pending extension request, a reply before a rating) are in "
            "`civgrid/cases/actions.py`.",
            "",
            "| action | what it is | from | to | who may |",
            "|---|---|---|---|---|",
        ]
        for t in TRANSITIONS.values():
            sources = ", ".join(s for s in Status.values if s in t.sources)
            who = ", ".join(str(r.label) for r in Role if r.value in t.roles)
            target = t.target or "(unchanged)"
            lines.append(f"| `{t.name}` | {t.label} | {sources} | {target} | {who} |")
        lines += ["", "States:", ""]
        lines += [f"- `{s.value}`: {s.label}" for s in Status]
    return "\n".join(lines) + "\n"
