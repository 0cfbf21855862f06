"""What a user may see of notices: their inbox, and the office's lists (a district office's
lists hold its district's cases only, civgrid.cases.queries.cases_for_user)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from civgrid.cases.models import Case
from civgrid.cases.queries import cases_for_user
from civgrid.notices.models import Delivery, Event, InboxEntry, Notice
from civgrid.notices.outbox import BAD_RATING_MAX
from civgrid.org.scope import scope_of

LIST_LIMIT = 200


def inbox_of(user: User) -> QuerySet[InboxEntry]:
    return InboxEntry.objects.filter(user=user)


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return InboxEntry.objects.filter(user=user, read_at__isnull=True).count()


def escalations_for(user: User, role: str | None) -> list[Notice]:
    """Escalations of cases still open: the office sees all of its scope, a leader those sent
    to them."""
    qs = Notice.objects.filter(event=Event.ESCALATED, case__closed_at__isnull=True).select_related(
        "case"
    )
    qs = notices_in_scope(qs, user) if role == "office" else qs.filter(user=user)
    seen: dict[int, Notice] = {}
    for n in qs.order_by("-created_at")[:LIST_LIMIT]:
        if n.case_id is not None:
            seen.setdefault(n.case_id, n)
    return list(seen.values())


def notices_in_scope(notices: QuerySet[Notice], user: User | None) -> QuerySet[Notice]:
    """Notices of the cases the office may see; notices without a case (digests, exports)
    only for the whole installation's office."""
    if user is None or scope_of(user).is_everything:
        return notices
    return notices.filter(case__in=cases_for_user(user))


def failed_deliveries(user: User | None = None) -> list[Delivery]:
    notices = notices_in_scope(Notice.objects.all(), user)
    return list(
        Delivery.objects.filter(status=Delivery.Status.FAILED, notice__in=notices)
        .select_related("notice__case", "notice__user", "notice__unit")
        .order_by("-id")[:LIST_LIMIT]
    )


def bad_ratings(user: User | None = None) -> list[Case]:
    """Answers the reporter rated badly (as 12345 lines reopen attention to them)."""
    cases = Case.objects.all() if user is None else cases_for_user(user)
    return list(cases.filter(satisfaction__lte=BAD_RATING_MAX).order_by("-updated_at")[:LIST_LIMIT])
