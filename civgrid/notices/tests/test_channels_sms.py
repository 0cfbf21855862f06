"""SMS: number checks, templates, masking, and the generic webhook gateway against a local fake
gateway (the exact body, the idempotency key, the HMAC signature recomputed here)."""

import hashlib
import hmac
import logging

import pytest

from civgrid.notices.channels.base import DeliveryError, Message
from civgrid.notices.channels.sms import SmsChannel, mask, national_mobile
from civgrid.notices.channels.testing import Reply, fake_provider

PHONE = "13812345678"
SECRET = "webhook-secret"


@pytest.fixture
def gateway(settings):
    with fake_provider() as fake:
        settings.CIVGRID_SMS_BACKEND = "webhook"
        settings.CIVGRID_SMS_WEBHOOK_URL = f"{fake.url}/sms"
        settings.CIVGRID_SMS_WEBHOOK_SECRET = SECRET
        settings.CIVGRID_SMS_SIGN_NAME = "文明城市"
        settings.CIVGRID_SMS_TEMPLATES = {}
        yield fake


def answer(**overrides):
    fields = {
        "key": "57:sms",
        "subject": "您反映的问题已答复",
        "body": "人民路占道经营已清理。",
        "url": "https://civgrid.example/s/K7QX9P/",
        "phone": f"+86 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}",
        "extra": {"template": "case_answered", "params": {"case_code": "C-2026-0001"}},
    }
    return Message(**(fields | overrides))


@pytest.mark.parametrize(
    "written", ["13812345678", "+8613812345678", "008613812345678", "86 138-1234-5678"]
)
def test_mainland_mobile_numbers_are_recognised_in_their_usual_spellings(written):
    assert national_mobile(written) == "13812345678"


@pytest.mark.parametrize(
    "written", ["", "12812345678", "1381234567", "+85261234567", "010-6512345"]
)
def test_landlines_foreign_and_short_numbers_are_not_mobiles(written):
    assert national_mobile(written) == ""


def test_a_masked_number_keeps_only_the_prefix_and_the_last_four_digits():
    assert mask("+8613812345678") == "138****5678"


def test_the_webhook_gets_the_documented_body_and_an_idempotency_key(gateway):
    gateway.reply(Reply(body={"id": "gw-1"}))

    provider_id = SmsChannel().send(answer())

    sent = gateway.last
    assert provider_id == "gw-1"
    assert sent.path == "/sms"
    assert sent.headers["idempotency-key"] == "57:sms"
    assert sent.json() == {
        "key": "57:sms",
        "phone": "+8613812345678",
        "template": "case_answered",
        "template_code": "",
        "params": {},
        "sign_name": "文明城市",
        "text": "您反映的问题已答复\n人民路占道经营已清理。\nhttps://civgrid.example/s/K7QX9P/",
        "urgent": False,
    }


def test_the_webhook_signature_is_an_hmac_of_the_timestamp_and_the_exact_body(gateway):
    SmsChannel().send(answer())

    sent = gateway.last
    timestamp = sent.headers["x-civgrid-timestamp"]
    expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + sent.body, hashlib.sha256)
    assert sent.headers["x-civgrid-signature"] == f"sha256={expected.hexdigest()}"


def test_a_registered_template_gives_its_code_and_parameters_in_order(gateway, settings):
    settings.CIVGRID_SMS_TEMPLATES = {
        "case_answered": {"code": "T-1", "params": {"code": "case_code", "link": "url"}}
    }

    SmsChannel().send(answer())

    sent = gateway.last.json()
    assert sent["template_code"] == "T-1"
    assert list(sent["params"].items()) == [
        ("code", "C-2026-0001"),
        ("link", "https://civgrid.example/s/K7QX9P/"),
    ]


def test_a_template_parameter_without_a_value_is_a_permanent_failure(gateway, settings):
    settings.CIVGRID_SMS_TEMPLATES = {"case_answered": {"code": "T-1", "params": {"x": "rating"}}}

    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer())

    assert failure.value.permanent
    assert "rating" in failure.value.reason
    assert gateway.requests == []


@pytest.mark.parametrize("phone", ["", "010-65123456", "+85261234567"])
def test_a_message_without_a_mainland_mobile_fails_for_good_before_any_request(gateway, phone):
    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer(phone=phone))

    assert failure.value.permanent
    assert gateway.requests == []


def test_sms_switched_off_is_a_permanent_failure(settings):
    settings.CIVGRID_SMS_BACKEND = ""

    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer())

    assert failure.value.permanent


@pytest.mark.parametrize(
    ("status", "permanent"), [(400, True), (422, True), (429, False), (503, False)]
)
def test_the_webhooks_http_status_says_whether_to_retry(gateway, status, permanent):
    gateway.reply(Reply(status=status, body={"error": "nope"}))

    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer())

    assert failure.value.permanent is permanent


def test_a_gateway_that_does_not_answer_in_time_is_a_temporary_failure(gateway, settings):
    settings.CIVGRID_CHANNEL_TIMEOUT = 0.2
    gateway.reply(Reply(hang=True))

    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer())

    assert not failure.value.permanent


def test_no_phone_number_reaches_the_logs_whether_sent_or_refused(gateway, caplog):
    caplog.set_level(logging.DEBUG)  # urllib3's request lines included
    SmsChannel().send(answer())
    gateway.reply(Reply(status=503))
    with pytest.raises(DeliveryError):
        SmsChannel().send(answer())
    with pytest.raises(DeliveryError) as failure:
        SmsChannel().send(answer(phone="+85261234567"))

    assert "138****5678" in caplog.text
    assert PHONE not in caplog.text
    assert "61234567" not in caplog.text + failure.value.reason
