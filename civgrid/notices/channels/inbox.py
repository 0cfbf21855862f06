"""The in-app inbox (站内信): the message becomes a line in the user's notice list."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civgrid.notices.channels.base import Channel, DeliveryError, Message


class InboxChannel(Channel):
    code = "inbox"
    label = str(_("In-app inbox"))

    def send(self, message: Message) -> str:
        from civgrid.notices.models import InboxEntry

        if message.user_id is None:
            raise DeliveryError("no user", permanent=True)
        # The key is unique: a re-send after a killed worker finds the line already there.
        entry, _created = InboxEntry.objects.get_or_create(
            key=message.key,
            defaults={
                "user_id": message.user_id,
                "subject": message.subject[:200],
                "body": message.body,
                "url": message.url[:500],
                "created_at": timezone.now(),
            },
        )
        return str(entry.pk)
