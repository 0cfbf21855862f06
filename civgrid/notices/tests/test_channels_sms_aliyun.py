"""Alibaba Cloud SMS against a local fake endpoint: the exact SendSms form, the RPC signature
recomputed here from the documented algorithm, error codes mapped to retry or not."""

import base64
import hashlib
import hmac
import json
import logging
from urllib.parse import quote

import pytest

from civgrid.notices.channels import sms_aliyun
from civgrid.notices.channels.base import DeliveryError, Message
from civgrid.notices.channels.sms import SmsChannel
from civgrid.notices.channels.testing import Reply, fake_provider

KEY_SECRET = "testsecret"
OK = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "R1"}


@pytest.fixture
def aliyun(settings):
    with fake_provider() as fake:
        fake.default = Reply(body=OK)
        settings.CIVGRID_SMS_BACKEND = "aliyun"
        settings.CIVGRID_ALIYUN_SMS_ENDPOINT = f"{fake.url}/"
        settings.CIVGRID_ALIYUN_ACCESS_KEY_ID = "testid"
        settings.CIVGRID_ALIYUN_ACCESS_KEY_SECRET = KEY_SECRET
        settings.CIVGRID_SMS_SIGN_NAME = "文明城市"
        settings.CIVGRID_SMS_TEMPLATES = {
            "case_answered": {
                "code": "SMS_154950909",
                "params": {"code": "case_code", "link": "url"},
            }
        }
        yield fake


def answer(**overrides):
    fields = {
        "key": "57:sms",
        "subject": "您反映的问题已答复",
        "body": "已清理。",
        "url": "https://civgrid.example/s/K7QX9P/",
        "phone": "+8613812345678",
        "extra": {"template": "case_answered", "params": {"case_code": "C-2026-0001"}},
    }
    return Message(**(fields | overrides))


def documented_signature(params: dict[str, str]) -> str:
    def encode(value):
        return quote(value, safe="~")

    canonical = "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"POST&{encode('/')}&{encode(canonical)}"
    mac = hmac.new(f"{KEY_SECRET}&".encode(), to_sign.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


def test_send_sms_is_a_signed_form_with_the_template_and_the_key_as_out_id(aliyun):
    assert SmsChannel().send(answer()) == "900619746936498440^0"

    sent = aliyun.last
    form = sent.form()
    signature = form.pop("Signature")
    assert sent.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert sent.raw_query == ""  # the number travels in the body, never in the URL
    assert form.keys() == {
        "AccessKeyId", "Action", "Format", "RegionId", "SignatureMethod", "SignatureNonce",
        "SignatureVersion", "Timestamp", "Version", "PhoneNumbers", "SignName", "TemplateCode",
        "TemplateParam", "OutId",
    }  # fmt: skip
    assert form["Action"] == "SendSms"
    assert form["Version"] == "2017-05-25"
    assert form["SignatureMethod"] == "HMAC-SHA1"
    assert form["SignatureVersion"] == "1.0"
    assert form["PhoneNumbers"] == "13812345678"
    assert form["SignName"] == "文明城市"
    assert form["TemplateCode"] == "SMS_154950909"
    assert json.loads(form["TemplateParam"]) == {
        "code": "C-2026-0001",
        "link": "https://civgrid.example/s/K7QX9P/",
    }
    assert form["OutId"] == "57:sms"
    assert signature == documented_signature(form)


def test_the_signing_reproduces_the_example_of_the_providers_documentation():
    # The worked example of Alibaba Cloud SMS's "signature method" page (a GET request).
    params = {
        "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
        "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }  # fmt: skip

    assert sms_aliyun.sign("testSecret", params, method="GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_each_request_has_a_fresh_signature_nonce(aliyun):
    SmsChannel().send(answer())
    SmsChannel().send(answer())

    first, second = (r.form()["SignatureNonce"] for r in aliyun.requests)
    assert first != second


def test_a_kind_without_a_registered_template_is_refused_for_good(aliyun):
    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer(extra={"template": "reminder"}))

    assert failure.value.permanent
    assert aliyun.requests == []


@pytest.mark.parametrize(
    "code",
    ["isv.MOBILE_NUMBER_ILLEGAL", "isv.SMS_TEMPLATE_ILLEGAL", "isv.SMS_SIGNATURE_ILLEGAL"],
)
def test_a_bad_number_or_refused_template_is_permanent(aliyun, code):
    aliyun.reply(Reply(body={"Code": code, "Message": "refused", "RequestId": "R2"}))

    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer())

    assert failure.value.permanent
    assert code in failure.value.reason


@pytest.mark.parametrize(
    "code", ["isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "isp.SYSTEM_ERROR"]
)
def test_throttling_and_the_services_faults_are_temporary(aliyun, code):
    aliyun.reply(Reply(body={"Code": code, "Message": "later", "RequestId": "R3"}))

    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer())

    assert not failure.value.permanent


def test_a_signature_error_answered_with_http_400_is_read_from_its_code(aliyun):
    aliyun.reply(Reply(status=400, body={"Code": "SignatureDoesNotMatch", "Message": "no"}))

    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer())

    assert failure.value.permanent
    assert "SignatureDoesNotMatch" in failure.value.reason


def test_throttling_answered_with_http_400_is_still_temporary(aliyun):
    aliyun.reply(Reply(status=400, body={"Code": "Throttling.User", "Message": "slow down"}))

    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer())

    assert not failure.value.permanent


def test_a_gateway_error_page_or_a_timeout_is_temporary(aliyun, settings):
    aliyun.reply(Reply(status=502, body=b"<html>bad gateway</html>"))
    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer())
    assert not failure.value.permanent

    settings.CIVGRID_CHANNEL_TIMEOUT = 0.2
    aliyun.reply(Reply(hang=True))
    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer())
    assert not failure.value.permanent


def test_no_phone_number_reaches_the_logs(aliyun, caplog):
    caplog.set_level(logging.DEBUG)
    SmsChannel().send(answer())
    aliyun.reply(Reply(body={"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "13812345678"}))
    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer())

    assert "138****5678" in caplog.text
    assert "13812345678" not in caplog.text + failure.value.reason
