"""Web Push against a local fake push service: the payload decrypted with the subscription's
private key (as the phone would), the VAPID signature checked, statuses mapped to retry or not."""

import base64
import io
import json
import os

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from py_vapid import Vapid02

from civgrid.notices.channels.base import DeliveryError, Message
from civgrid.notices.channels.testing import Reply, fake_provider
from civgrid.notices.channels.webpush import SubscriptionGone, WebPushChannel, new_key_pair


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Phone:
    """A browser's push subscription: its key pair and auth secret."""

    def __init__(self, endpoint):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.subscription = {
            "endpoint": endpoint,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)},
        }

    def decrypt(self, body: bytes):
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


@pytest.fixture
def push_service(settings):
    public, private = new_key_pair()
    settings.CIVGRID_VAPID_PUBLIC_KEY = public
    settings.CIVGRID_VAPID_PRIVATE_KEY = private
    settings.CIVGRID_VAPID_SUBJECT = "mailto:office@civgrid.example"
    with fake_provider() as fake:
        fake.default = Reply(status=201, body=b"")
        yield fake


def notice(phone, **overrides):
    fields = {
        "key": "43:webpush",
        "subject": "新交办案件 C-2026-0001",
        "body": "人民路占道经营,请于 12月3日 前办结。",
        "url": "https://civgrid.example/cases/41/",
        "user_id": 7,
        "extra": {"push_subscription": phone.subscription},
    }
    return Message(**(fields | overrides))


def test_the_phone_decrypts_the_documented_payload(push_service):
    phone = Phone(f"{push_service.url}/push/sub-1")

    WebPushChannel().send(notice(phone))

    sent = push_service.last
    assert sent.path == "/push/sub-1"
    assert sent.headers["content-encoding"] == "aes128gcm"
    assert sent.headers["ttl"] == "86400"
    assert sent.headers["urgency"] == "normal"
    assert phone.decrypt(sent.body) == {
        "title": "新交办案件 C-2026-0001",
        "body": "人民路占道经营,请于 12月3日 前办结。",
        "url": "https://civgrid.example/cases/41/",
        "tag": "43:webpush",
    }


def test_the_request_is_signed_with_the_servers_vapid_key(push_service, settings):
    phone = Phone(f"{push_service.url}/push/sub-1")

    WebPushChannel().send(notice(phone, urgent=True))

    authorization = push_service.last.headers["authorization"]
    scheme, fields = authorization.split(" ", 1)
    parts = dict(field.split("=", 1) for field in fields.split(","))
    claims = json.loads(b64url_decode(parts["t"].split(".")[1]))
    assert scheme == "vapid"
    assert parts["k"] == settings.CIVGRID_VAPID_PUBLIC_KEY
    assert Vapid02.verify(authorization)
    assert claims["aud"] == push_service.url
    assert claims["sub"] == "mailto:office@civgrid.example"
    assert push_service.last.headers["urgency"] == "high"


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_no_longer_knows_is_gone_for_good(push_service, status):
    push_service.reply(Reply(status=status, body=b"gone"))

    with pytest.raises(SubscriptionGone) as failure:
        WebPushChannel().send(notice(Phone(f"{push_service.url}/push/old")))

    assert failure.value.permanent


@pytest.mark.parametrize(
    ("status", "permanent"), [(429, False), (500, False), (503, False), (400, True)]
)
def test_throttling_and_server_errors_are_retried_but_a_bad_request_is_not(
    push_service, status, permanent
):
    push_service.reply(Reply(status=status, body=b"no"))

    with pytest.raises(DeliveryError) as failure:
        WebPushChannel().send(notice(Phone(f"{push_service.url}/push/sub-1")))

    assert failure.value.permanent is permanent


def test_a_push_service_that_does_not_answer_in_time_is_a_temporary_failure(push_service, settings):
    settings.CIVGRID_CHANNEL_TIMEOUT = 0.2
    push_service.reply(Reply(hang=True))

    with pytest.raises(DeliveryError) as failure:
        WebPushChannel().send(notice(Phone(f"{push_service.url}/push/sub-1")))

    assert not failure.value.permanent


def test_a_user_without_a_subscription_or_a_server_without_keys_fails_for_good(
    push_service, settings
):
    phone = Phone(f"{push_service.url}/push/sub-1")
    with pytest.raises(DeliveryError) as failure:
        WebPushChannel().send(notice(phone, extra={}))
    assert failure.value.permanent

    settings.CIVGRID_VAPID_PRIVATE_KEY = ""
    with pytest.raises(DeliveryError) as failure:
        WebPushChannel().send(notice(phone))
    assert failure.value.permanent
    assert push_service.requests == []


def test_vapid_keys_prints_a_working_key_pair(push_service, settings):
    out = io.StringIO()
    call_command(
        "vapid-keys", "--subject", "mailto:it@civgrid.example", stdout=out, stderr=io.StringIO()
    )

    printed = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert printed["CIVGRID_VAPID_SUBJECT"] == "mailto:it@civgrid.example"
    settings.CIVGRID_VAPID_PUBLIC_KEY = printed["CIVGRID_VAPID_PUBLIC_KEY"]
    settings.CIVGRID_VAPID_PRIVATE_KEY = printed["CIVGRID_VAPID_PRIVATE_KEY"]
    WebPushChannel().send(notice(Phone(f"{push_service.url}/push/sub-1")))
    authorization = push_service.last.headers["authorization"]
    assert authorization.endswith(f"k={printed['CIVGRID_VAPID_PUBLIC_KEY']}")
    assert Vapid02.verify(authorization)
