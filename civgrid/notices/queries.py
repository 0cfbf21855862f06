"""What a user may see of notices: their inbox, and the office's lists."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from civgrid.cases.models import Case
from civgrid.notices.models import Delivery, Event, InboxEntry, Notice
from civgrid.notices.outbox import BAD_RATING_MAX

LIST_LIMIT = 200


def inbox_of(user: User) -> QuerySet[InboxEntry]:
    return InboxEntry.objects.filter(user=user)


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return InboxEntry.objects.filter(user=user, read_at__isnull=True).count()


def escalations_for(user: User, role: str | None) -> list[Notice]:
    """Escalations of cases still open: the office sees all, a leader those sent to them."""
    qs = Notice.objects.filter(event=Event.ESCALATED, case__closed_at__isnull=True).select_related(
        "case"
    )
    if role != "office":
        qs = qs.filter(user=user)
    seen: dict[int, Notice] = {}
    for n in qs.order_by("-created_at")[:LIST_LIMIT]:
        if n.case_id is not None:
            seen.setdefault(n.case_id, n)
    return list(seen.values())


def failed_deliveries() -> list[Delivery]:
    return list(
        Delivery.objects.filter(status=Delivery.Status.FAILED)
        .select_related("notice__case", "notice__user", "notice__unit")
        .order_by("-id")[:LIST_LIMIT]
    )


def bad_ratings() -> list[Case]:
    """Answers the reporter rated badly (as 12345 lines reopen attention to them)."""
    return list(
        Case.objects.filter(satisfaction__lte=BAD_RATING_MAX).order_by("-updated_at")[:LIST_LIMIT]
    )
