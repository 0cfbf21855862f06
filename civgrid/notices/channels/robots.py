"""What the WeCom and DingTalk group robots share: a unit's webhook URL, a JSON message, an
answer `{"errcode": 0, "errmsg": "ok"}` whose non-zero codes say temporary or permanent."""

from __future__ import annotations

from typing import Any, ClassVar

from civgrid.notices.channels import http
from civgrid.notices.channels.base import Channel, DeliveryError, Message


class RobotChannel(Channel):
    """A group robot (群机器人): one POST of JSON to the unit's webhook URL."""

    # errcodes after which a later retry can succeed (rate limits, the provider busy).
    temporary_errcodes: ClassVar[frozenset[int]] = frozenset({-1})

    def url(self, message: Message) -> str:
        return message.webhook_url

    def payload(self, message: Message) -> dict[str, Any]:
        raise NotImplementedError

    def send(self, message: Message) -> str:
        if not message.webhook_url:
            raise DeliveryError(f"{self.code}: the unit has no group robot", permanent=True)
        response = http.post_json(self.url(message), self.payload(message), provider=self.code)
        answer = http.json_body(response, provider=self.code)
        errcode = answer.get("errcode")
        if errcode == 0:
            return ""  # neither robot returns a message id
        if not isinstance(errcode, int):
            raise DeliveryError(f"{self.code}: the answer has no errcode")
        reason = f"{self.code}: errcode {errcode} {str(answer.get('errmsg', ''))[:200]}"
        raise DeliveryError(reason, permanent=errcode not in self.temporary_errcodes)


def markdown_lines(message: Message, *, title: str) -> str:
    """The message as robot markdown: the title line, the body, the link (when there is one)."""
    lines = [title, "", message.body]
    if message.url:
        lines += ["", f"[{message.url}]({message.url})"]
    return "\n".join(lines)
