"""The generic SMS webhook: civgrid POSTs one JSON message to CIVGRID_SMS_WEBHOOK_URL, for an
in-house SMS platform or a provider this code has no adapter for.

Body (UTF-8 JSON)::

    {"key": "<notice id>:sms", "phone": "+8613812345678", "template": "case_answered",
     "template_code": "SMS_1" or "", "params": {...}, "sign_name": "…", "text": "…",
     "urgent": false}

Headers: `Idempotency-Key: <key>` (the same on every retry: the receiver sends a key once),
`X-Civgrid-Timestamp: <unix seconds>` and, when CIVGRID_SMS_WEBHOOK_SECRET is set,
`X-Civgrid-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>` over the exact
body bytes. Answer: any 2xx accepts (an optional JSON `{"id": "…"}` is kept as the provider id);
408, 429 and 5xx are retried; other 4xx are permanent.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings

from civgrid.notices.channels import http
from civgrid.notices.channels.base import DeliveryError
from civgrid.notices.channels.sms import SmsRequest


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


class WebhookGateway:
    name = "webhook"
    needs_template = False

    def send(self, request: SmsRequest) -> str:
        url = settings.CIVGRID_SMS_WEBHOOK_URL
        if not url:
            raise DeliveryError("sms webhook: CIVGRID_SMS_WEBHOOK_URL is not set", permanent=True)
        body = http.dumps(
            {
                "key": request.key,
                "phone": f"+86{request.mobile}",
                "template": request.kind,
                "template_code": request.template_code,
                "params": request.params,
                "sign_name": request.sign_name,
                "text": request.text,
                "urgent": request.urgent,
            }
        )
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": request.key,
            "X-Civgrid-Timestamp": timestamp,
        }
        if settings.CIVGRID_SMS_WEBHOOK_SECRET:
            headers["X-Civgrid-Signature"] = signature(
                settings.CIVGRID_SMS_WEBHOOK_SECRET, timestamp, body
            )
        response = http.post(url, provider="sms webhook", data=body, headers=headers)
        try:
            answer = response.json()
        except ValueError:
            return ""
        return str(answer.get("id", "")) if isinstance(answer, dict) else ""
