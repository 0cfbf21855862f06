"""Web Push (RFC 8030) with VAPID (RFC 8292) to the installed grid-worker app, via pywebpush.

The subscription is the one the app's service worker registered: `Message.extra[
"push_subscription"] = {"endpoint": …, "keys": {"p256dh": …, "auth": …}}`. The payload, JSON
`{"title", "body", "url", "tag"}` (tag = the delivery key, so a repeat replaces the first
notification on the phone instead of adding one), is encrypted for that subscription
(aes128gcm, RFC 8291) and signed with the server's VAPID key (CIVGRID_VAPID_PRIVATE_KEY, made by
`civgrid vapid-keys`). The push service answers 201; 404 or 410 means the subscription is gone
(`SubscriptionGone`, permanent: forget it), 429 and 5xx are temporary, any other 4xx permanent.
"""

from __future__ import annotations

import json
from typing import Any, cast

import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from py_vapid import Vapid02, VapidException
from py_vapid.utils import b64urlencode
from pywebpush import WebPushException, webpush

from civgrid.notices.channels import http
from civgrid.notices.channels.base import Channel, DeliveryError, Message

TTL = 24 * 60 * 60  # seconds the push service keeps a message for a phone that is offline


class SubscriptionGone(DeliveryError):
    """The push service no longer knows the subscription (app removed, permission withdrawn):
    the outbox should delete it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, permanent=True)


def subscription(message: Message) -> dict[str, Any]:
    info = message.extra.get("push_subscription") or {}
    keys = info.get("keys") or {}
    if not (info.get("endpoint") and keys.get("p256dh") and keys.get("auth")):
        raise DeliveryError("webpush: no push subscription", permanent=True)
    return {"endpoint": info["endpoint"], "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}


def payload(message: Message) -> str:
    content = {
        "title": message.subject,
        "body": message.body,
        "url": message.url,
        "tag": message.key,
    }
    return json.dumps(content, ensure_ascii=False)


def new_key_pair() -> tuple[str, str]:
    """(public, private): the public key as the browser's applicationServerKey (uncompressed
    P-256 point) and the private key as its 32 raw bytes, both base64url without padding."""
    vapid = Vapid02()
    vapid.generate_keys()
    public = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    return b64urlencode(public), b64urlencode(private)


class WebPushChannel(Channel):
    code = "webpush"
    label = cast(str, _("Push notification to the app"))  # lazy: shown in the reader's language

    def send(self, message: Message) -> str:
        if not (settings.CIVGRID_VAPID_PRIVATE_KEY and settings.CIVGRID_VAPID_SUBJECT):
            raise DeliveryError(
                "webpush: set CIVGRID_VAPID_PRIVATE_KEY and CIVGRID_VAPID_SUBJECT", permanent=True
            )
        target = subscription(message)
        try:
            response = webpush(
                target,
                data=payload(message),
                vapid_private_key=settings.CIVGRID_VAPID_PRIVATE_KEY,
                # A new dict each time: pywebpush adds "aud" and "exp" to the one it is given.
                vapid_claims={"sub": settings.CIVGRID_VAPID_SUBJECT},
                ttl=TTL,
                timeout=http.timeout(),
                headers={"Urgency": "high" if message.urgent else "normal"},
            )
        except WebPushException as exc:
            status = exc.status_code
            if status in (404, 410):
                raise SubscriptionGone(f"webpush: subscription gone (HTTP {status})") from exc
            temporary = status is None or status in http.TEMPORARY_STATUSES or status >= 500
            raise DeliveryError(f"webpush: HTTP {status}", permanent=not temporary) from exc
        except requests.Timeout as exc:
            raise DeliveryError(f"webpush: no answer within {http.timeout():g} s") from exc
        except requests.RequestException as exc:
            raise DeliveryError(f"webpush: {type(exc).__name__}") from exc
        except (VapidException, ValueError) as exc:  # a malformed key or subject in settings
            raise DeliveryError(f"webpush: VAPID settings refused ({exc})", permanent=True) from exc
        location = getattr(response, "headers", {}).get("Location", "")
        return str(location)
