"""WeCom (企业微信) group robot: the group a unit already reads.

The robot's webhook URL (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`) is the
credential; it takes `{"msgtype": "markdown", "markdown": {"content": …}}` (at most 4096 bytes)
or `{"msgtype": "text", "text": {"content": …, "mentioned_list": [...]}}` (at most 2048 bytes)
and answers `{"errcode": 0, "errmsg": "ok"}`. An urgent message is a text message mentioning
`@all`, since a markdown message cannot mention anyone. A robot takes at most 20 messages a
minute; beyond that it answers errcode 45009. Reference: WeCom developer documentation,
"群机器人配置说明" (https://developer.work.weixin.qq.com/document/path/91770) and the global
error codes (https://developer.work.weixin.qq.com/document/path/90313).
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _

from civgrid.notices.channels.base import Message
from civgrid.notices.channels.http import truncate_utf8
from civgrid.notices.channels.robots import RobotChannel, markdown_lines

MARKDOWN_LIMIT = 4096  # bytes
TEXT_LIMIT = 2048  # bytes


class WeComChannel(RobotChannel):
    code = "wecom"
    label = cast(str, _("WeCom group robot"))  # lazy: shown in the reader's language
    # -1: system busy; 45009: the robot's 20-a-minute limit; 45033: too many at once.
    temporary_errcodes = frozenset({-1, 45009, 45033})

    def payload(self, message: Message) -> dict[str, Any]:
        if message.urgent:
            content = "\n".join(filter(None, [message.subject, message.body, message.url]))
            return {
                "msgtype": "text",
                "text": {"content": truncate_utf8(content, TEXT_LIMIT), "mentioned_list": ["@all"]},
            }
        content = markdown_lines(message, title=f"**{message.subject}**")
        return {
            "msgtype": "markdown",
            "markdown": {"content": truncate_utf8(content, MARKDOWN_LIMIT)},
        }
