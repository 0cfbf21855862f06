"""The DingTalk custom robot against a local fake robot: the exact JSON, the signature
recomputed from the documented algorithm, errcodes, timeouts."""

import base64
import hashlib
import hmac
from urllib.parse import quote_plus

import pytest

from civgrid.notices.channels.base import DeliveryError, Message
from civgrid.notices.channels.dingtalk import DingTalkChannel
from civgrid.notices.channels.testing import Reply, fake_provider

SECRET = "SEC0123456789abcdef"


@pytest.fixture
def robot():
    with fake_provider() as fake:
        fake.default = Reply(body={"errcode": 0, "errmsg": "ok"})
        yield fake


def message(robot, **overrides):
    fields = {
        "key": "41:dingtalk",
        "subject": "案件超期 C-2026-0001",
        "body": "已超期 3 个工作日,请督办。",
        "url": "https://civgrid.example/cases/41/",
        "webhook_url": f"{robot.url}/robot/send?access_token=tok",
    }
    return Message(**(fields | overrides))


def test_a_notice_is_posted_as_markdown_to_the_units_robot(robot):
    DingTalkChannel().send(message(robot))

    sent = robot.last
    assert sent.path == "/robot/send"
    assert sent.query == {"access_token": ["tok"]}
    assert sent.headers["content-type"] == "application/json; charset=utf-8"
    assert sent.json() == {
        "msgtype": "markdown",
        "markdown": {
            "title": "案件超期 C-2026-0001",
            "text": "#### 案件超期 C-2026-0001\n\n已超期 3 个工作日,请督办。\n\n"
            "[https://civgrid.example/cases/41/](https://civgrid.example/cases/41/)",
        },
        "at": {"isAtAll": False},
    }


def test_a_signed_robot_gets_the_documented_timestamp_and_sign(robot):
    DingTalkChannel().send(message(robot, webhook_secret=SECRET, urgent=True))

    query = robot.last.query  # parse_qs has undone the URL encoding once
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]
    assert query["access_token"] == ["tok"]
    assert len(timestamp) == 13  # milliseconds
    assert robot.last.json()["at"] == {"isAtAll": True}


def test_the_sign_is_url_encoded_in_the_request_line(robot):
    DingTalkChannel().send(message(robot, webhook_secret=SECRET))

    # base64 has "+", "/" and "=": sent raw, a "+" would be read back as a space.
    sign = robot.last.query["sign"][0]
    assert f"sign={quote_plus(sign)}" in robot.last.raw_query.split("&")


@pytest.mark.parametrize("errcode", [130101, 410100, -1])
def test_rate_limits_and_a_busy_robot_are_temporary(robot, errcode):
    robot.reply(Reply(body={"errcode": errcode, "errmsg": "send too fast"}))

    with pytest.raises(DeliveryError) as failure:
        DingTalkChannel().send(message(robot))

    assert not failure.value.permanent


@pytest.mark.parametrize("errcode", [300001, 310000, 400102])
def test_a_bad_token_signature_or_stopped_robot_is_permanent(robot, errcode):
    robot.reply(Reply(body={"errcode": errcode, "errmsg": "sign not match"}))

    with pytest.raises(DeliveryError) as failure:
        DingTalkChannel().send(message(robot))

    assert failure.value.permanent


def test_a_robot_that_does_not_answer_in_time_is_a_temporary_failure(robot, settings):
    settings.CIVGRID_CHANNEL_TIMEOUT = 0.2
    robot.reply(Reply(hang=True))

    with pytest.raises(DeliveryError) as failure:
        DingTalkChannel().send(message(robot))

    assert not failure.value.permanent
