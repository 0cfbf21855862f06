"""The development console (开发通道): every message that would have been sent, on a page.

With CIVGRID_NOTICES_CONSOLE on (the demo's default), every outside channel (e-mail, SMS,
robots, push) is replaced by this one, which records the message with the channel it stands
in for, so the demo shows what would have gone out without any provider.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civgrid.cases.models import mask_phone
from civgrid.notices.channels.base import Channel, Message


def recipient_label(message: Message) -> str:
    if message.phone:
        return mask_phone(message.phone)
    if message.email:
        return message.email
    if message.webhook_url:
        return message.webhook_url.split("?")[0]
    return f"user {message.user_id}" if message.user_id is not None else ""


class ConsoleChannel(Channel):
    code = "console"
    label = str(_("Console"))

    def __init__(self, stands_for: str = "console") -> None:
        self.stands_for = stands_for

    def send(self, message: Message) -> str:
        from civgrid.notices.models import ConsoleEntry

        entry, _created = ConsoleEntry.objects.get_or_create(
            key=message.key,
            defaults={
                "channel": self.stands_for,
                "recipient": recipient_label(message)[:200],
                "subject": message.subject[:200],
                "body": message.body,
                "url": message.url[:500],
                "created_at": timezone.now(),
            },
        )
        return str(entry.pk)
