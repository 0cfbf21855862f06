"""The WeCom group robot against a local fake robot: the exact JSON, errcodes, timeouts."""

import logging

import pytest

from civgrid.notices.channels.base import DeliveryError, Message
from civgrid.notices.channels.testing import Reply, fake_provider
from civgrid.notices.channels.wecom import WeComChannel


@pytest.fixture
def robot():
    with fake_provider() as fake:
        fake.default = Reply(body={"errcode": 0, "errmsg": "ok"})
        yield fake


def message(robot, **overrides):
    fields = {
        "key": "41:wecom",
        "subject": "新交办案件 C-2026-0001",
        "body": "人民路占道经营,请于 12月3日 前办结。",
        "url": "https://civgrid.example/cases/41/",
        "webhook_url": f"{robot.url}/cgi-bin/webhook/send?key=robot-key",
    }
    return Message(**(fields | overrides))


def test_a_notice_is_posted_as_markdown_to_the_units_robot(robot):
    WeComChannel().send(message(robot))

    sent = robot.last
    assert sent.path == "/cgi-bin/webhook/send"
    assert sent.query == {"key": ["robot-key"]}
    assert sent.headers["content-type"] == "application/json; charset=utf-8"
    assert sent.json() == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**新交办案件 C-2026-0001**\n\n人民路占道经营,请于 12月3日 前办结。\n\n"
            "[https://civgrid.example/cases/41/](https://civgrid.example/cases/41/)"
        },
    }


def test_an_urgent_notice_is_a_text_message_mentioning_everyone(robot):
    WeComChannel().send(message(robot, urgent=True, url=""))

    assert robot.last.json() == {
        "msgtype": "text",
        "text": {
            "content": "新交办案件 C-2026-0001\n人民路占道经营,请于 12月3日 前办结。",
            "mentioned_list": ["@all"],
        },
    }


def test_a_long_body_is_cut_to_the_robots_byte_limit(robot):
    WeComChannel().send(message(robot, body="很" * 3000))

    assert len(robot.last.json()["markdown"]["content"].encode()) <= 4096


def test_the_robots_rate_limit_is_a_temporary_failure(robot):
    robot.reply(Reply(body={"errcode": 45009, "errmsg": "api freq out of limit"}))

    with pytest.raises(DeliveryError) as failure:
        WeComChannel().send(message(robot))

    assert not failure.value.permanent
    assert "45009" in failure.value.reason


def test_an_invalid_webhook_is_a_permanent_failure(robot):
    robot.reply(Reply(body={"errcode": 93000, "errmsg": "invalid webhook url"}))

    with pytest.raises(DeliveryError) as failure:
        WeComChannel().send(message(robot))

    assert failure.value.permanent


def test_a_server_error_is_temporary_and_a_missing_robot_is_permanent(robot):
    robot.reply(Reply(status=502, body=b"bad gateway"))
    with pytest.raises(DeliveryError) as failure:
        WeComChannel().send(message(robot))
    assert not failure.value.permanent

    with pytest.raises(DeliveryError) as failure:
        WeComChannel().send(message(robot, webhook_url=""))
    assert failure.value.permanent
    assert len(robot.requests) == 1


def test_a_robot_that_does_not_answer_in_time_is_a_temporary_failure(robot, settings):
    settings.CIVGRID_CHANNEL_TIMEOUT = 0.2
    robot.reply(Reply(hang=True))

    with pytest.raises(DeliveryError) as failure:
        WeComChannel().send(message(robot))

    assert not failure.value.permanent
    assert "no answer" in failure.value.reason


def test_the_robots_key_does_not_reach_the_logs(robot, caplog):
    caplog.set_level(logging.DEBUG)  # as with CIVGRID_LOG_LEVEL=DEBUG
    WeComChannel().send(message(robot))
    robot.reply(Reply(body={"errcode": 93000, "errmsg": "invalid webhook url"}))
    with pytest.raises(DeliveryError):
        WeComChannel().send(message(robot))

    assert "robot-key" not in caplog.text
