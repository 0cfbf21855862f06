"""Tencent Cloud SMS (腾讯云短信), SendSms of API version 2021-01-11, signed with TC3-HMAC-SHA256
(signature v3) implemented here with the standard library, so no SDK is needed.

Signing, as documented: CanonicalRequest = "POST\\n/\\n\\n" + "content-type:…\\nhost:…\\n" +
"\\n" + "content-type;host" + "\\n" + hex(SHA256(body)); StringToSign = "TC3-HMAC-SHA256\\n" +
timestamp + "\\n" + date + "/sms/tc3_request\\n" + hex(SHA256(CanonicalRequest)), with date the
UTC date of the timestamp; the key is HMAC-SHA256 chained over "TC3" + SecretKey, date, "sms",
"tc3_request"; Authorization = "TC3-HMAC-SHA256 Credential=SecretId/date/sms/tc3_request,
SignedHeaders=content-type;host, Signature=" + hex(HMAC-SHA256(key, StringToSign)).
References: "签名方法 v3" / "Signature v3" (https://www.tencentcloud.com/document/product/382/40467),
SendSms (https://cloud.tencent.com/document/api/382/55981) and its error codes
(https://cloud.tencent.com/document/api/382/52075).

SessionContext carries civgrid's idempotency key; it comes back in status reports.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings

from civgrid.notices.channels import http
from civgrid.notices.channels.base import DeliveryError
from civgrid.notices.channels.sms import SmsRequest

SERVICE = "sms"
VERSION = "2021-01-11"
CONTENT_TYPE = "application/json; charset=utf-8"
# Error codes after which the same message can succeed later: limits, the balance, faults.
TEMPORARY_PREFIXES = (
    "LimitExceeded",
    "RequestLimitExceeded",
    "InternalError",
    "FailedOperation.InsufficientBalanceInSmsPackage",
    "ResourceUnavailable",
)


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def authorization(
    *, secret_id: str, secret_key: str, host: str, timestamp: int, body: bytes
) -> str:
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    signed_headers = "content-type;host"
    canonical_request = (
        f"POST\n/\n\ncontent-type:{CONTENT_TYPE}\nhost:{host}\n\n{signed_headers}\n"
        f"{hashlib.sha256(body).hexdigest()}"
    )
    scope = f"{date}/{SERVICE}/tc3_request"
    to_sign = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n"
        f"{hashlib.sha256(canonical_request.encode()).hexdigest()}"
    )
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), SERVICE), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )


def is_temporary(code: str) -> bool:
    return code.startswith(TEMPORARY_PREFIXES)


class TencentGateway:
    name = "tencent"
    needs_template = True

    def send(self, request: SmsRequest) -> str:
        secret_id = settings.CIVGRID_TENCENT_SECRET_ID
        secret_key = settings.CIVGRID_TENCENT_SECRET_KEY
        app_id = settings.CIVGRID_TENCENT_SMS_APP_ID
        if not (secret_id and secret_key and app_id and request.sign_name):
            raise DeliveryError(
                "sms tencent: set CIVGRID_TENCENT_SECRET_ID, _SECRET_KEY, _SMS_APP_ID and "
                "CIVGRID_SMS_SIGN_NAME",
                permanent=True,
            )
        endpoint = settings.CIVGRID_TENCENT_SMS_ENDPOINT
        host = urlsplit(endpoint).netloc
        body = http.dumps(
            {
                "PhoneNumberSet": [f"+86{request.mobile}"],
                "SmsSdkAppId": app_id,
                "SignName": request.sign_name,
                "TemplateId": request.template_code,
                "TemplateParamSet": list(request.params.values()),
                "SessionContext": request.key,
            }
        )
        timestamp = int(time.time())
        headers = {
            "Authorization": authorization(
                secret_id=secret_id,
                secret_key=secret_key,
                host=host,
                timestamp=timestamp,
                body=body,
            ),
            "Content-Type": CONTENT_TYPE,
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": VERSION,
            "X-TC-Region": settings.CIVGRID_TENCENT_SMS_REGION,
        }
        response = http.post(endpoint, provider="sms tencent", data=body, headers=headers)
        answer = http.json_body(response, provider="sms tencent").get("Response") or {}
        error = answer.get("Error")
        statuses = answer.get("SendStatusSet") or []
        if not error and statuses:
            error = statuses[0]
            if error.get("Code") == "Ok":
                return str(error.get("SerialNo", ""))
        if not isinstance(error, dict):
            raise DeliveryError("sms tencent: the answer has neither an error nor a status")
        code = str(error.get("Code", ""))
        reason = f"sms tencent: {code} {str(error.get('Message', ''))[:200]}"
        raise DeliveryError(reason, permanent=bool(code) and not is_temporary(code))
