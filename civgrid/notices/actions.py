"""Every change a person makes to notices: reading the inbox, the rules, preferences,
retrying a failed delivery, a browser's push subscription."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases.errors import InvalidInput
from civgrid.notices import outbox
from civgrid.notices.models import (
    ChannelCode,
    Delivery,
    InboxEntry,
    Notice,
    NoticeRule,
    Preference,
    PushSubscription,
)
from civgrid.notices.queries import notices_in_scope

MAX_AFTER_WORKDAYS = 60


def mark_read(user: User, pk: int, now: dt.datetime | None = None) -> int:
    """Mark one of the user's own inbox lines read; 0 when it is not theirs or already read."""
    return InboxEntry.objects.filter(user=user, pk=pk, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def mark_all_read(user: User, now: dt.datetime | None = None) -> int:
    return InboxEntry.objects.filter(user=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def _clean_channels(channels: Iterable[str], field: str = "channels") -> list[str]:
    chosen = list(dict.fromkeys(channels))
    unknown = [c for c in chosen if c not in ChannelCode.values]
    if unknown:
        raise InvalidInput(_("Unknown channel: %(c)s.") % {"c": ", ".join(unknown)}, field)
    return chosen


def update_rule(
    rule: NoticeRule,
    *,
    actor: User,
    channels: Iterable[str],
    after_workdays: int,
    urgent: bool,
    enabled: bool,
) -> NoticeRule:
    """The office changes who hears of an event and how."""
    chosen = _clean_channels(channels)
    if not 0 <= after_workdays <= MAX_AFTER_WORKDAYS:
        raise InvalidInput(
            _("Working days are a number from 0 to %(n)d.") % {"n": MAX_AFTER_WORKDAYS},
            "after_workdays",
        )
    with transaction.atomic():
        locked = NoticeRule.objects.select_for_update().get(pk=rule.pk)
        new = (chosen, after_workdays, urgent, enabled)
        if (locked.channels, locked.after_workdays, locked.urgent, locked.enabled) == new:
            return locked
        locked.channels, locked.after_workdays, locked.urgent, locked.enabled = new
        locked.save(update_fields=["channels", "after_workdays", "urgent", "enabled"])
    return locked


def retry_delivery(pk: int, *, actor: User, now: dt.datetime | None = None) -> bool:
    """The office sends a failed delivery again (the provider was fixed, the address added)."""
    # A district office retries its district's deliveries only (一市多区).
    notices = notices_in_scope(Notice.objects.all(), actor)
    with transaction.atomic():
        done = Delivery.objects.filter(
            pk=pk, status=Delivery.Status.FAILED, notice__in=notices
        ).update(
            status=Delivery.Status.PENDING,
            attempts=0,
            due_at=now or timezone.now(),
            claimed_at=None,
        )
        if done:
            outbox.schedule_delivery()
    return bool(done)


def save_preference(
    user: User,
    *,
    channels_off: Iterable[str],
    quiet_from: dt.time,
    quiet_until: dt.time,
    language: str,
) -> Preference:
    off = [c for c in _clean_channels(channels_off, "channels_off") if c != ChannelCode.INBOX]
    pref, _created = Preference.objects.update_or_create(
        user=user,
        defaults={
            "channels_off": off,
            "quiet_from": quiet_from,
            "quiet_until": quiet_until,
            "language": language,
        },
    )
    return pref


def subscribe_push(
    user: User, *, endpoint: str, p256dh: str, auth: str, now: dt.datetime | None = None
) -> PushSubscription:
    """A browser's Web Push subscription; the same endpoint again updates its keys."""
    if not endpoint.startswith("https://") or len(endpoint) > 500:
        raise InvalidInput(_("A push endpoint is an https address."), "endpoint")
    if not p256dh or not auth or len(p256dh) > 200 or len(auth) > 100:
        raise InvalidInput(_("The subscription's keys are missing."), "keys")
    sub, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user,
            "p256dh": p256dh,
            "auth": auth,
            "created_at": now or timezone.now(),
        },
    )
    return sub
