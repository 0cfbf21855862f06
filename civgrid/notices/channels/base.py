"""What a delivery channel is: it takes one rendered `Message` and sends it, or says why not.

The notices outbox (civgrid.notices) renders a message per (notice, channel) in the
recipient's language and calls `send` from a queued task; delivery is idempotent per
(notice, channel) through `Message.key`, which a channel passes to its provider wherever the
provider accepts one (so a retry after a lost answer is not a second message).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Message:
    """One message to one recipient through one channel, already in the recipient's language."""

    key: str  # "<notice id>:<channel code>": unique per delivery, stable across retries
    subject: str  # short title (the inbox line, the e-mail subject, the robot card title)
    body: str  # plain text, at most a few hundred characters
    url: str = ""  # absolute link to act on it (the case page, the private status link)
    urgent: bool = False  # may break quiet hours
    language: str = "zh-hans"
    # Addresses: a channel reads the one it needs and refuses (permanent) when it is empty.
    user_id: int | None = None  # in-app inbox, Web Push subscriptions
    phone: str = ""  # SMS; never written to logs (use lib masking when it must be shown)
    email: str = ""
    webhook_url: str = ""  # a unit's WeCom / DingTalk group robot
    webhook_secret: str = ""  # DingTalk signing secret, if the robot has one
    # Channel-specific extras: SMS template code and parameters, push payload options.
    extra: dict[str, Any] = field(default_factory=dict)


class DeliveryError(Exception):
    """The channel could not deliver. `permanent` means retrying cannot help (no address,
    refused by the provider for good); otherwise the outbox retries with back-off."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Channel:
    """Base of every channel. `code` is stored in the database (NoticeRule, Delivery)."""

    code: str = ""
    label: str = ""

    def send(self, message: Message) -> str:
        """Send it; return the provider's message id ("" when it gives none). Raise
        DeliveryError on failure. Must not log phone numbers or secrets."""
        raise NotImplementedError
