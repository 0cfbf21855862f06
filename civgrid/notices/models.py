"""Notices (通知提醒): what reaches whom, written in an outbox, delivered by the task queue.

Design
------
1. **Outbox.** A `Notice` is one event for one recipient (a user, a unit's group robot, or a
   resident's phone). Notices are written in the same transaction as the event that causes
   them: a post_save receiver on civgrid.cases' CaseEvent (connected in NoticesConfig.ready)
   runs inside the action's `transaction.atomic()`, so a rolled-back action leaves no notice
   and a committed one always has its notices. civgrid.cases does not import this app; the
   receiver was chosen over a hook registry in cases because every case event is already a
   row written through one function (cases.steps.write_event), so nothing in cases changes.
   Periodic events (临期, 超期, escalation, digests) are written by plain functions in
   `jobs.py` which the scheduler calls as `func(now)`; `Notice.key` is unique, so a slot run
   twice writes nothing the second time.
2. **Who gets what.** `NoticeRule` rows (event × recipient → channels, after N working days,
   enabled) say who hears of an event and how; the office edits them (admin and a page);
   defaults come from a data migration.
3. **Delivery.** One `Delivery` per (notice, channel), unique. After commit a django-tasks
   task delivers the pending ones: a worker claims a row by a conditional UPDATE (status and
   claim time in the WHERE), so two workers never send one row; a claim older than
   CLAIM_TIMEOUT (the worker was killed) is claimable again. The channel receives
   `Message.key = "<notice id>:<channel>"` and passes it to the provider, so the re-send after
   a kill is recognised as the same message. Failures are retried with exponential back-off
   up to MAX_ATTEMPTS; a permanent failure is recorded and listed for the office.
4. **Good manners.** Per-user `Preference` (channels off, quiet hours, language); SMS and push
   wait for the morning during quiet hours unless urgent; deliveries of batchable events wait
   BATCH_WINDOW and are sent as one message per recipient and channel; a daily digest per
   unit.
5. **Inbox and console.** The in-app inbox is `InboxEntry` (written by the "inbox" channel);
   the development "console" channel writes `ConsoleEntry`, shown on a page.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civgrid.notices.eventtypes import Event, event_choices

# Events whose deliveries wait BATCH_WINDOW so that many at once make one message.
BATCHED_EVENTS = frozenset({Event.ASSIGNED, Event.DUE_SOON, Event.OVERDUE})


class Recipient(models.TextChoices):
    UNIT = "unit", _("The case's unit (责任单位联络员)")
    UNIT_LEADER = "unit_leader", _("The unit's leader (单位领导)")
    GRID_LEADER = "grid_leader", _("The grid's responsible leader (分包领导)")
    GRID_WORKER = "grid_worker", _("The grid's workers (网格员)")
    OFFICE = "office", _("Campaign office (创建办)")
    REPORTER = "reporter", _("The reporter with an account (上报人)")
    RESIDENT = "resident", _("The resident who reported without an account (群众)")
    ACTOR = "actor", _("Who asked for it (发起人)")


class ChannelCode(models.TextChoices):
    INBOX = "inbox", _("In-app inbox (站内信)")
    CONSOLE = "console", _("Console (开发)")
    EMAIL = "email", _("E-mail (邮件)")
    SMS = "sms", _("SMS (短信)")
    WECOM = "wecom", _("WeCom group robot (企业微信群)")
    DINGTALK = "dingtalk", _("DingTalk group robot (钉钉群)")
    WEBPUSH = "webpush", _("Web Push (推送)")


ROBOT_CHANNELS = frozenset({ChannelCode.WECOM, ChannelCode.DINGTALK})
# Channels that wake people: held during quiet hours unless the notice is urgent.
LOUD_CHANNELS = frozenset({ChannelCode.SMS, ChannelCode.WEBPUSH})


class NoticeRule(models.Model):
    """Who hears of an event and how (通知规则): one row per event and recipient."""

    event = models.CharField(_("event"), max_length=30, choices=event_choices)
    recipient = models.CharField(_("recipient"), max_length=20, choices=Recipient.choices)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    # Escalation: overdue this many working days; reminders ignore it.
    after_workdays = models.PositiveSmallIntegerField(_("after working days"), default=0)
    urgent = models.BooleanField(
        _("urgent"), default=False, help_text=_("Urgent notices are sent during quiet hours.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("notice rule")
        verbose_name_plural = _("notice rules")
        ordering = ["event", "recipient"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="one_rule_per_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.get_recipient_display()}"


class Notice(models.Model):
    """One event for one recipient (通知): the outbox row.

    The recipient is a user, or a unit (its group robot), or a resident's phone number read
    from the case when sent (never copied here, so it stays in one place).
    """

    # Unique: "<event>:<what>:<slot>:<recipient>"; a periodic slot or a repeated hook writes once.
    key = models.CharField(max_length=200, unique=True)
    event = models.CharField(_("event"), max_length=30, choices=event_choices)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    to_resident = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)
    # What the text needs beyond the case (e.g. the answer, the private link, digest counts).
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key


class Delivery(models.Model):
    """One notice through one channel (投递): claimed, sent, retried, or failed for good."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=20, choices=ChannelCode.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Not before this instant: the batching window, quiet hours, the retry back-off.
    due_at = models.DateTimeField(_("send at"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    # The delivery whose message carried this one (batching); null when it went on its own.
    batched_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "channel"], name="one_delivery_per_channel")
        ]
        indexes = [
            # What the deliver task claims: due rows and stale claims (see outbox.claim).
            models.Index(fields=["status", "due_at"], name="delivery_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.channel}"

    @property
    def key(self) -> str:
        return f"{self.notice_id}:{self.channel}"


class Preference(models.Model):
    """A user's choices (通知偏好): channels turned off, quiet hours, language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference"
    )
    channels_off = models.JSONField(_("channels turned off"), default=list, blank=True)
    quiet_from = models.TimeField(_("quiet hours from"), default=dt.time(22, 0))
    quiet_until = models.TimeField(_("quiet hours until"), default=dt.time(7, 0))
    # Empty: the site's language (settings.LANGUAGE_CODE).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return str(self.user)


class InboxEntry(models.Model):
    """A line in a user's in-app inbox (站内信), written by the inbox channel."""

    key = models.CharField(max_length=100, unique=True)  # the Message.key: sent once
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("received at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox entry")
        verbose_name_plural = _("inbox entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell: a user's unread count on every page.
            models.Index(
                fields=["user"], name="inbox_unread_idx", condition=models.Q(read_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class ConsoleEntry(models.Model):
    """What the development console channel "sent" (开发通道): the whole message, shown on a
    page so the demo shows every message without any provider. Phone numbers are masked."""

    key = models.CharField(max_length=100, unique=True)
    channel = models.CharField(max_length=20)  # the channel it stands in for
    recipient = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("console message")
        verbose_name_plural = _("console messages")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key


class PushSubscription(models.Model):
    """A browser's Web Push subscription (the installed grid-worker app)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=500, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.endpoint[:40]}"


class UnitWebhook(models.Model):
    """A unit's group robot (单位群机器人): the WeCom or DingTalk group the unit already reads."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="webhooks")
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[
            (ChannelCode.WECOM, ChannelCode.WECOM.label),
            (ChannelCode.DINGTALK, ChannelCode.DINGTALK.label),
        ],
    )
    url = models.URLField(_("webhook address"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit group robot")
        verbose_name_plural = _("unit group robots")
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="one_robot_per_kind")]

    def __str__(self) -> str:
        return f"{self.unit} ({self.kind})"
