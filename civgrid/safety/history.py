"""The safety part of an enterprise's history page: its checks and hidden dangers with the
state of their ledger cases (registered with civgrid.enterprises.history in apps.py)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases.workflow import Status
from civgrid.enterprises.history import Entry
from civgrid.enterprises.models import Enterprise
from civgrid.org.queries import AnyUser
from civgrid.safety.models import Grade, Hazard, Interview, SafetyCheck


def entries(enterprise: Enterprise, user: AnyUser | None) -> list[Entry]:
    out: list[Entry] = []
    checks = SafetyCheck.objects.filter(enterprise=enterprise).select_related(
        "assignment__campaign"
    )
    for check in checks.prefetch_related("results", "hazards")[:100]:
        failed = sum(1 for r in check.results.all() if not r.passed)
        out.append(
            Entry(
                check.checked_at,
                "check",
                _("Safety check (%(campaign)s) by %(name)s: %(items)d items, %(failed)d failed")
                % {
                    "campaign": check.assignment.campaign.name,
                    "name": check.checker_name,
                    "items": check.results.count(),
                    "failed": failed,
                },
                level="warning" if failed else "done",
            )
        )
    hazards = Hazard.objects.filter(enterprise=enterprise).select_related("case", "item")
    for hazard in hazards[:200]:
        case = hazard.case
        out.append(
            Entry(
                hazard.found_at,
                "hazard",
                _("Hidden danger (%(grade)s): %(item)s — %(code)s, %(status)s")
                % {
                    "grade": hazard.get_grade_display(),
                    "item": hazard.item.text,
                    "code": case.tracking_code,
                    "status": case.get_status_display(),
                },
                url=reverse("cases:detail", args=[case.pk]),
                level="done"
                if case.status == Status.CLOSED
                else ("danger" if hazard.grade == Grade.MAJOR else "warning"),
            )
        )
    for interview in Interview.objects.filter(enterprise=enterprise)[:50]:
        out.append(
            Entry(
                dt.datetime.combine(
                    interview.held_on, dt.time(12), tzinfo=timezone.get_default_timezone()
                ),
                "interview",
                _("Warning interview (约谈): %(findings)s — follow-up check on %(day)s")
                % {"findings": interview.findings[:80], "day": interview.follow_up_on.isoformat()},
                url=reverse("safety:interview_record", args=[interview.pk]),
                level="danger",
                details=tuple(line for line in interview.commitments.splitlines() if line.strip()),
            )
        )
    return out
