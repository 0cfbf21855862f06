"""Escalation (约谈): the enterprises with overdue or repeated hidden dangers, and recording a
warning interview with its signed record and follow-up check."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases.errors import InvalidInput, NotAllowed
from civgrid.cases.photos import _flush
from civgrid.cases.workflow import OPEN_STATES
from civgrid.enterprises.actions import clean_document
from civgrid.enterprises.models import Enterprise
from civgrid.enterprises.queries import enterprises_for_user
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, role_of
from civgrid.safety.models import Campaign, Hazard, Interview

# Hazards within this many days make an enterprise a repeat offender (重复隐患).
REPEAT_WINDOW_DAYS = 365
REPEAT_COUNT = 2
MAX_TEXT = 2000


@dataclass
class EscalationRow:
    enterprise: Enterprise
    overdue: int
    recent: int
    last_interview: dt.date | None


def escalation(user: AnyUser | None, now: dt.datetime) -> list[EscalationRow]:
    """Enterprises (in the user's scope) with an overdue hidden danger or with at least
    REPEAT_COUNT in the last year, most overdue first."""
    since = now - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    found = (
        enterprises_for_user(user)
        .annotate(
            overdue=Count(
                "hazards",
                filter=Q(hazards__case__status__in=OPEN_STATES, hazards__case__due_at__lt=now),
                distinct=True,
            ),
            recent=Count("hazards", filter=Q(hazards__found_at__gte=since), distinct=True),
            last_interview=Max("interviews__held_on"),
        )
        .filter(Q(overdue__gt=0) | Q(recent__gte=REPEAT_COUNT))
        .select_related("grid")
        .order_by("-overdue", "-recent", "name")
    )
    return [EscalationRow(e, e.overdue, e.recent, e.last_interview) for e in found]


def _text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("This field is required."), field)
    if len(value) > limit:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": limit}, field)
    return value


def record_interview(
    *,
    actor: User,
    enterprise: Enterprise,
    held_on: dt.date,
    attendees: str,
    findings: str,
    commitments: str,
    follow_up_on: dt.date,
    record: object,
    campaign: Campaign | None = None,
    hazards: Sequence[Hazard] = (),
) -> Interview:
    """Record a warning interview (约谈) held by the office, with the signed record as a file
    (a PDF or a photo of it) and the date of the follow-up check."""
    if role_of(actor) != Role.OFFICE:
        raise NotAllowed(_("Only the campaign office records warning interviews."))
    if not enterprises_for_user(actor).filter(pk=enterprise.pk).exists():
        raise NotAllowed(_("This enterprise is outside your district."))
    today = timezone.localdate()
    if held_on > today:
        raise InvalidInput(_("The interview cannot be in the future."), "held_on")
    if follow_up_on < held_on:
        raise InvalidInput(_("The follow-up check comes after the interview."), "follow_up_on")
    attendees = _text(attendees, "attendees", limit=255)
    findings = _text(findings, "findings")
    commitments = _text(commitments, "commitments")
    if any(h.enterprise_id != enterprise.pk for h in hazards):
        raise InvalidInput(_("A hidden danger of another enterprise."), "hazards")
    clean = clean_document(record)
    now = timezone.now()
    with transaction.atomic():
        interview = Interview(
            enterprise=enterprise,
            campaign=campaign,
            held_on=held_on,
            attendees=attendees,
            findings=findings,
            commitments=commitments,
            follow_up_on=follow_up_on,
            record_sha256=clean.sha256,
            recorded_by=actor,
            recorded_at=now,
        )
        interview.record.save(
            f"{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.content), save=False
        )
        _flush(interview.record.storage, str(interview.record.name))
        interview.save()
        interview.hazards.set(hazards)
    return interview


def follow_ups_due(user: AnyUser | None, today: dt.date) -> list[Interview]:
    """Interviews whose follow-up check day has come and whose enterprise has not been checked
    since then."""
    found = Interview.objects.filter(
        enterprise__in=enterprises_for_user(user), follow_up_on__lte=today
    ).select_related("enterprise")
    return [
        i
        for i in found
        if not i.enterprise.safety_checks.filter(checked_at__date__gte=i.follow_up_on).exists()
    ]
