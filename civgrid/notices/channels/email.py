"""E-mail through Django's mail (EMAIL_* settings from CIVGRID_EMAIL_*; the console in DEBUG).

The message is plain text: the body, then the link. Its Message-ID is derived from the delivery
key, so a message sent twice after a lost answer carries the same id and mail clients show one.
SMTP answers: 5xx (mailbox unknown, refused) is permanent, 4xx and a connection that fails or
times out are temporary.
"""

from __future__ import annotations

import smtplib
from email.utils import parseaddr
from typing import cast

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext_lazy as _

from civgrid.notices.channels.base import Channel, DeliveryError, Message


def message_id(key: str) -> str:
    """<notice-42.email@host>: stable for one delivery, unique across deliveries."""
    local = "".join(c if c.isalnum() or c in "-." else "." for c in key)
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notice-{local}@{domain}>"


class EmailChannel(Channel):
    code = "email"
    label = cast(str, _("E-mail"))  # lazy: shown in the reader's language

    def send(self, message: Message) -> str:
        if not message.email:
            raise DeliveryError("email: no address", permanent=True)
        body = f"{message.body}\n\n{message.url}" if message.url else message.body
        mail = EmailMessage(
            subject=message.subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.email],
            headers={"Message-ID": message_id(message.key)},
        )
        try:
            mail.send()
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            raise DeliveryError(
                f"email: recipient refused ({codes})", permanent=all(c >= 500 for c in codes)
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"email: SMTP {exc.smtp_code}", permanent=exc.smtp_code >= 500
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:  # refused, timed out, disconnected
            raise DeliveryError(f"email: {type(exc).__name__}") from exc
        return message_id(message.key)
