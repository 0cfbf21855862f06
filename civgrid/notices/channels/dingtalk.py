"""DingTalk (钉钉) custom group robot: the group a unit already reads.

POST `{"msgtype": "markdown", "markdown": {"title": …, "text": …}, "at": {"isAtAll": …}}` to the
robot's webhook URL (`https://oapi.dingtalk.com/robot/send?access_token=…`); the answer is
`{"errcode": 0, "errmsg": "ok"}`. A robot with the "sign" (加签) security setting also wants
`timestamp` (milliseconds) and `sign` query parameters: sign = urlEncode(base64(HmacSHA256(
key=secret, timestamp + "\n" + secret))), UTF-8 throughout; the secret is the unit's
`webhook_secret` (the "SEC…" string). A robot takes at most 20 messages a minute (errcode
130101, or 410100 when throttled): temporary. Reference: DingTalk open platform, "自定义机器人
发送群消息" and "自定义机器人安全设置"
(https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages,
https://open.dingtalk.com/document/orgapp/customize-robot-security-settings).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any, cast
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from civgrid.notices.channels.base import Message
from civgrid.notices.channels.http import truncate_utf8
from civgrid.notices.channels.robots import RobotChannel, markdown_lines

TEXT_LIMIT = 5000  # bytes; DingTalk refuses longer messages


def sign(secret: str, timestamp_ms: int) -> str:
    """The `sign` parameter before URL encoding (base64 of the HMAC-SHA256)."""
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class DingTalkChannel(RobotChannel):
    code = "dingtalk"
    label = cast(str, _("DingTalk group robot"))  # lazy: shown in the reader's language
    # -1: system busy; 130101: more than 20 a minute; 410100: throttled.
    temporary_errcodes = frozenset({-1, 130101, 410100})

    def url(self, message: Message) -> str:
        if not message.webhook_secret:
            return message.webhook_url
        timestamp_ms = int(time.time() * 1000)
        query = urlencode(
            {"timestamp": timestamp_ms, "sign": sign(message.webhook_secret, timestamp_ms)}
        )
        separator = "&" if "?" in message.webhook_url else "?"
        return f"{message.webhook_url}{separator}{query}"

    def payload(self, message: Message) -> dict[str, Any]:
        text = markdown_lines(message, title=f"#### {message.subject}")
        return {
            "msgtype": "markdown",
            "markdown": {"title": message.subject, "text": truncate_utf8(text, TEXT_LIMIT)},
            "at": {"isAtAll": message.urgent},
        }
