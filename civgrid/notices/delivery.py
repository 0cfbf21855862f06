"""Delivering the outbox (see the design in models.py): claim, send, record, retry.

`deliver_due(now)` is what the deliver task runs. No lock is held while a channel talks to a
provider: a row is claimed by a conditional UPDATE (pending and due, or a claim older than
CLAIM_TIMEOUT), sent, then marked with a second conditional UPDATE that names the claim.
A worker killed between the send and the mark leaves a stale claim; the next run sends again
with the same `Message.key`, which the channel hands to the provider (and the inbox and
console channels store uniquely), so the message is not doubled.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from civgrid.cases.models import mask_phone
from civgrid.notices import texts
from civgrid.notices.channels.base import DeliveryError, Message
from civgrid.notices.channels.lookup import get_channel
from civgrid.notices.models import (
    BATCHED_EVENTS,
    LOUD_CHANNELS,
    Delivery,
    Notice,
    Preference,
    PushSubscription,
    UnitWebhook,
)
from civgrid.notices.residents import resident_phone, resident_token

log = logging.getLogger(__name__)

CLAIM_TIMEOUT = dt.timedelta(minutes=5)  # longer than any provider's time-out
MAX_ATTEMPTS = 6
BACKOFF = dt.timedelta(minutes=1)  # 1, 2, 4, 8, 16 minutes between attempts
DEFAULT_QUIET = (dt.time(22, 0), dt.time(7, 0))

S = Delivery.Status
PHONE_LIKE = re.compile(r"\+?\d[\d -]{5,}\d")


def claimable(now: dt.datetime) -> Q:
    return Q(status=S.PENDING, due_at__lte=now) | Q(
        status=S.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )


def claim(pk: int, now: dt.datetime) -> bool:
    """Take one row for this run; False when another worker has it (or it is not due)."""
    return (
        Delivery.objects.filter(claimable(now), pk=pk).update(status=S.SENDING, claimed_at=now) == 1
    )


def deliver_due(now: dt.datetime | None = None, *, limit: int = 500) -> int:
    """Send what is due, `limit` rows per query until none is left; returns how many
    deliveries were sent. Every row handled leaves the claimable set (sent, failed, skipped,
    or waiting for a later time), so the loop ends."""
    now = now or timezone.now()
    sent = 0
    while True:
        ids = list(
            Delivery.objects.filter(claimable(now))
            .order_by("due_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return sent
        for pk in ids:
            if claim(pk, now):
                sent += deliver_one(pk, now)


def is_quiet(moment: dt.datetime, quiet_from: dt.time, quiet_until: dt.time) -> bool:
    t = timezone.localtime(moment).time()
    if quiet_from <= quiet_until:
        return quiet_from <= t < quiet_until
    return t >= quiet_from or t < quiet_until


def end_of_quiet(moment: dt.datetime, quiet_until: dt.time) -> dt.datetime:
    """The next local instant at `quiet_until` (the morning the message waits for)."""
    local = timezone.localtime(moment)
    morning = local.replace(
        hour=quiet_until.hour, minute=quiet_until.minute, second=0, microsecond=0
    )
    if morning <= local:
        morning += dt.timedelta(days=1)
    return morning


@dataclass(frozen=True)
class Manners:
    language: str
    quiet_from: dt.time
    quiet_until: dt.time


def manners_of(notice: Notice) -> Manners:
    pref = Preference.objects.filter(user=notice.user_id).first() if notice.user_id else None
    if pref is None:
        return Manners(settings.LANGUAGE_CODE, *DEFAULT_QUIET)
    return Manners(pref.language or settings.LANGUAGE_CODE, pref.quiet_from, pref.quiet_until)


def _batch_mates(d: Delivery, claimed_at: dt.datetime) -> list[Delivery]:
    """Other deliveries of the same event to the same recipient and channel, still waiting:
    claimed now and sent in the same message."""
    n = d.notice
    if n.event not in BATCHED_EVENTS:
        return []
    mates: QuerySet[Delivery] = Delivery.objects.filter(
        status=S.PENDING,
        channel=d.channel,
        notice__event=n.event,
        notice__user=n.user_id,
        notice__unit=n.unit_id,
        notice__to_resident=n.to_resident,
    ).exclude(pk=d.pk)
    ids = list(mates.values_list("id", flat=True))
    if ids:
        Delivery.objects.filter(pk__in=ids, status=S.PENDING).update(
            status=S.SENDING, claimed_at=claimed_at
        )
    return list(
        Delivery.objects.filter(pk__in=ids, status=S.SENDING, claimed_at=claimed_at)
        .select_related("notice__case__category")
        .order_by("notice__created_at", "id")
    )


def address(message: dict[str, object], d: Delivery) -> None:
    """Fill the recipient's address for the channel from what civgrid knows."""
    n = d.notice
    if n.to_resident and n.case is not None:
        message["phone"] = resident_phone(n.case)
    if n.user is not None:
        message["user_id"] = n.user_id
        message["email"] = n.user.email
        person = getattr(n.user, "person", None)
        message["phone"] = person.phone if person else ""
        if d.channel == "webpush":
            sub = PushSubscription.objects.filter(user=n.user_id).order_by("-created_at").first()
            if sub is not None:
                message["extra"] = {
                    "push_subscription": {
                        "endpoint": sub.endpoint,
                        "keys": {"p256dh": sub.p256dh, "auth": sub.auth},
                    }
                }
    if n.unit_id is not None:
        hook = UnitWebhook.objects.filter(unit=n.unit_id, kind=d.channel).first()
        if hook is not None:
            message["webhook_url"] = hook.url
            message["webhook_secret"] = hook.secret


def redact(text: str) -> str:
    """A provider's error as it may be stored and logged: runs of 7+ digits (phone numbers)
    masked, in case a channel or its provider quoted the address."""
    return PHONE_LIKE.sub(lambda m: mask_phone(m.group()), text)


def has_address(message: Message, channel: str) -> bool:
    needs = {
        "email": message.email,
        "sms": message.phone,
        "wecom": message.webhook_url,
        "dingtalk": message.webhook_url,
        "webpush": message.extra.get("push_subscription"),
    }
    return bool(needs.get(channel, True))


def deliver_one(pk: int, claimed_at: dt.datetime) -> int:
    d = Delivery.objects.select_related("notice__case__category", "notice__user__person").get(pk=pk)
    mine = Delivery.objects.filter(pk=pk, status=S.SENDING, claimed_at=claimed_at)
    manners = manners_of(d.notice)
    loud = d.channel in LOUD_CHANNELS and not d.notice.urgent
    if loud and is_quiet(claimed_at, manners.quiet_from, manners.quiet_until):
        # Held until the morning; not an attempt.
        mine.update(status=S.PENDING, due_at=end_of_quiet(claimed_at, manners.quiet_until))
        return 0
    batch = [d, *_batch_mates(d, claimed_at)]
    link = ""
    if d.notice.to_resident and d.notice.case is not None:
        token = resident_token(d.notice.key)
        link = texts.absolute(reverse("public:private", args=[d.notice.case.tracking_code, token]))
    text = texts.render([b.notice for b in batch], manners.language, resident_link=link)
    fields: dict[str, object] = {
        "key": d.key,
        "subject": text.subject,
        "body": text.body,
        "url": text.url,
        "urgent": d.notice.urgent,
        "language": manners.language,
    }
    address(fields, d)
    message = Message(**fields)  # type: ignore[arg-type]
    ids = [b.pk for b in batch]
    claimed = Delivery.objects.filter(pk__in=ids, status=S.SENDING, claimed_at=claimed_at)
    if not has_address(message, d.channel):
        # Nobody to send to through this channel (no e-mail, no group robot): not a failure.
        claimed.update(status=S.SKIPPED, last_error="no address")
        return 0
    try:
        provider_id = get_channel(d.channel).send(message)
    except DeliveryError as exc:
        reason = redact(exc.reason)
        fail(claimed, reason, permanent=exc.permanent, now=claimed_at, attempts=d.attempts)
        log.warning("delivery %s failed: %s", d.key, reason)
        return 0
    except Exception as exc:  # a channel's bug or an unreachable provider: retried
        # Only the exception's type: its text (and a traceback's) may hold the address.
        fail(claimed, type(exc).__name__, permanent=False, now=claimed_at, attempts=d.attempts)
        log.error("delivery %s raised %s", d.key, type(exc).__name__)
        return 0
    now = timezone.now()
    claimed.filter(pk=d.pk).update(
        status=S.SENT, sent_at=now, provider_id=provider_id[:200], attempts=F("attempts") + 1
    )
    if len(batch) > 1:
        claimed.exclude(pk=d.pk).update(
            status=S.SENT, sent_at=now, batched_into=d.pk, attempts=F("attempts") + 1
        )
    return len(batch)


def fail(
    claimed: QuerySet[Delivery], reason: str, *, permanent: bool, now: dt.datetime, attempts: int
) -> None:
    tries = attempts + 1
    if permanent or tries >= MAX_ATTEMPTS:
        claimed.update(status=S.FAILED, last_error=reason[:500], attempts=F("attempts") + 1)
        return
    claimed.update(
        status=S.PENDING,
        last_error=reason[:500],
        attempts=F("attempts") + 1,
        due_at=now + BACKOFF * (2 ** (tries - 1)),
    )


def next_due_at() -> dt.datetime | None:
    """When the next waiting delivery falls due (the task defers a run to then)."""
    return (
        Delivery.objects.filter(status=S.PENDING)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
