"""What the public side may read (群众可见): a public report by its tracking code, and its
progress in plain words, without staff names, phone numbers, notes or photos.

Only cases reported through the public channels (a PublicReport exists) can be looked up:
a tracking code of a case an inspector or grid worker filed answers 404 like a wrong code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civgrid.cases.models import Case
from civgrid.cases.workflow import Status
from civgrid.public.models import PublicReport


def get_public_report(code: str) -> PublicReport:
    try:
        return PublicReport.objects.select_related("case", "case__category", "case__unit").get(
            case__tracking_code=(code or "").strip().upper()
        )
    except PublicReport.DoesNotExist as exc:
        raise Http404(_("No report has this tracking code.")) from exc


# The status as a resident reads it (no ledger jargon).
STATUS_WORDS: dict[str, Promise] = {
    Status.REPORTED: _("Received: waiting to be checked by the campaign office"),
    Status.REGISTERED: _("Accepted: being handed to the unit responsible"),
    Status.ASSIGNED: _("Being handled by the unit responsible"),
    Status.IN_PROGRESS: _("Being handled by the unit responsible"),
    Status.REWORK: _("Being handled again: the first fix did not pass the check"),
    Status.RETURNED: _("Being passed on to the right unit"),
    Status.SUBMITTED: _("Fixed by the unit, being checked"),
    Status.CLOSED: _("Solved"),
    Status.REJECTED: _("Not taken on: see the answer"),
    Status.DUPLICATE: _("Merged with an earlier report of the same problem"),
}

# Steps of the record a resident sees, in plain words; others (comments, urging, extension
# requests) are the office's internal work and are left out.
STEP_WORDS: dict[str, Promise] = {
    "report": _("Your report was received"),
    "register": _("Accepted onto the ledger"),
    "reject": _("Not taken on"),
    "mark_duplicate": _("Merged with an earlier report of the same problem"),
    "fix_on_spot": _("Fixed on the spot"),
    "assign": _("Handed to the unit responsible"),
    "accept": _("The unit started work"),
    "return_case": _("Being passed on to the right unit"),
    "decide_extension": _("The deadline for the fix was extended"),
    "submit": _("The unit reported the fix"),
    "verify_pass": _("The fix was checked and the case closed"),
    "verify_fail": _("The fix did not pass the check: more work ordered"),
    "reply": _("You were answered"),
    "rate": _("You rated the answer"),
}


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    words: Promise


def public_timeline(case: Case) -> list[Step]:
    """The record of the case as the resident sees it: when, and what happened in plain words.

    A refused extension is left out (nothing changed for the resident)."""
    steps = []
    for action, at, data in case.events.values_list("action", "created_at", "data"):
        if action not in STEP_WORDS:
            continue
        if action == "decide_extension" and not (data or {}).get("granted"):
            continue
        steps.append(Step(at, STEP_WORDS[action]))
    return steps


def status_words(case: Case) -> Promise:
    if case.status == Status.CLOSED and case.fixed_on_spot:
        return _("Solved: fixed on the spot")
    return STATUS_WORDS.get(
        case.status, _("Received: waiting to be checked by the campaign office")
    )
