"""Tencent Cloud SMS against a local fake endpoint: the exact SendSms JSON, the TC3-HMAC-SHA256
signature recomputed here from the documented algorithm, error codes mapped to retry or not."""

import hashlib
import hmac
import logging
from datetime import UTC, datetime

import pytest

from civgrid.notices.channels.base import DeliveryError, Message
from civgrid.notices.channels.sms import SmsChannel
from civgrid.notices.channels.testing import Reply, fake_provider

SECRET_ID = "AKIDtest"
SECRET_KEY = "testkey"


def ok(serial="2433:4297648936820432621"):
    status = {"SerialNo": serial, "PhoneNumber": "+8613812345678", "Fee": 1, "Code": "Ok"}
    return {"Response": {"SendStatusSet": [status | {"Message": "send success"}], "RequestId": "r"}}


def refused(code, message="refused"):
    status = {"SerialNo": "", "PhoneNumber": "+8613812345678", "Fee": 0, "Code": code}
    return {"Response": {"SendStatusSet": [status | {"Message": message}], "RequestId": "r"}}


@pytest.fixture
def tencent(settings):
    with fake_provider() as fake:
        fake.default = Reply(body=ok())
        settings.CIVGRID_SMS_BACKEND = "tencent"
        settings.CIVGRID_TENCENT_SMS_ENDPOINT = f"{fake.url}/"
        settings.CIVGRID_TENCENT_SECRET_ID = SECRET_ID
        settings.CIVGRID_TENCENT_SECRET_KEY = SECRET_KEY
        settings.CIVGRID_TENCENT_SMS_APP_ID = "1400006666"
        settings.CIVGRID_TENCENT_SMS_REGION = "ap-guangzhou"
        settings.CIVGRID_SMS_SIGN_NAME = "文明城市"
        settings.CIVGRID_SMS_TEMPLATES = {
            "reminder": {"code": "449739", "params": {"1": "case_code", "2": "due_on"}}
        }
        yield fake


def reminder(**overrides):
    fields = {
        "key": "58:sms",
        "subject": "临期提醒",
        "body": "C-2026-0001 明日到期。",
        "phone": "13812345678",
        "extra": {
            "template": "reminder",
            "params": {"case_code": "C-2026-0001", "due_on": "12月3日"},
        },
    }
    return Message(**(fields | overrides))


def documented_authorization(headers, body):
    timestamp = int(headers["x-tc-timestamp"])
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical_headers = f"content-type:{headers['content-type']}\nhost:{headers['host']}\n"
    canonical_request = "\n".join(
        ["POST", "/", "", canonical_headers, "content-type;host", hashlib.sha256(body).hexdigest()]
    )
    scope = f"{date}/sms/tc3_request"
    string_to_sign = "\n".join(
        [
            "TC3-HMAC-SHA256",
            str(timestamp),
            scope,
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )

    def step(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    secret = step(step(step(f"TC3{SECRET_KEY}".encode(), date), "sms"), "tc3_request")
    signature = hmac.new(secret, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={SECRET_ID}/{scope}, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )


def test_send_sms_is_the_documented_json_with_the_key_as_session_context(tencent):
    assert SmsChannel().send(reminder()) == "2433:4297648936820432621"

    sent = tencent.last
    assert sent.json() == {
        "PhoneNumberSet": ["+8613812345678"],
        "SmsSdkAppId": "1400006666",
        "SignName": "文明城市",
        "TemplateId": "449739",
        "TemplateParamSet": ["C-2026-0001", "12月3日"],
        "SessionContext": "58:sms",
    }
    assert sent.headers["x-tc-action"] == "SendSms"
    assert sent.headers["x-tc-version"] == "2021-01-11"
    assert sent.headers["x-tc-region"] == "ap-guangzhou"
    assert sent.headers["content-type"] == "application/json; charset=utf-8"


def test_the_request_carries_the_documented_tc3_signature(tencent):
    SmsChannel().send(reminder())

    sent = tencent.last
    assert sent.headers["host"] == tencent.url.removeprefix("http://")
    assert sent.headers["authorization"] == documented_authorization(sent.headers, sent.body)


@pytest.mark.parametrize(
    "code",
    [
        "InvalidParameterValue.IncorrectPhoneNumber",
        "FailedOperation.TemplateIncorrectOrUnapproved",
        "FailedOperation.SignatureIncorrectOrUnapproved",
    ],
)
def test_a_bad_number_or_refused_template_is_permanent(tencent, code):
    tencent.reply(Reply(body=refused(code)))

    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(reminder())

    assert failure.value.permanent
    assert code in failure.value.reason


@pytest.mark.parametrize(
    "code", ["LimitExceeded.PhoneNumberThirtySecondLimit", "LimitExceeded.PhoneNumberDailyLimit"]
)
def test_per_number_limits_are_temporary(tencent, code):
    tencent.reply(Reply(body=refused(code)))

    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(reminder())

    assert not failure.value.permanent


def test_a_request_level_error_is_read_too(tencent):
    tencent.reply(
        Reply(body={"Response": {"Error": {"Code": "RequestLimitExceeded", "Message": "x"}}})
    )
    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(reminder())
    assert not failure.value.permanent

    tencent.reply(Reply(body={"Response": {"Error": {"Code": "AuthFailure.SignatureFailure"}}}))
    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(reminder())
    assert failure.value.permanent


def test_a_timeout_is_temporary(tencent, settings):
    settings.CIVGRID_CHANNEL_TIMEOUT = 0.2
    tencent.reply(Reply(hang=True))

    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(reminder())

    assert not failure.value.permanent


def test_no_phone_number_reaches_the_logs(tencent, caplog):
    caplog.set_level(logging.DEBUG)
    SmsChannel().send(reminder())
    tencent.reply(Reply(body=refused("LimitExceeded.PhoneNumberDailyLimit", "+8613812345678 over")))
    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(reminder())

    assert "138****5678" in caplog.text
    assert "13812345678" not in caplog.text + failure.value.reason
