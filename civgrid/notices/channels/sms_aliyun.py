"""Alibaba Cloud SMS (阿里云短信服务), the SendSms action of Dysmsapi 2017-05-25, signed with the
RPC signature (HMAC-SHA1) implemented here with the standard library, so no SDK is needed.

Signing, as documented: sort every parameter but Signature by name; percent-encode names and
values (RFC 3986: unreserved characters kept, space as %20); join as `name=value` with "&";
StringToSign = "POST&%2F&" + percentEncode(that string); Signature = base64(HMAC-SHA1(key =
AccessKeySecret + "&", StringToSign)). The parameters are sent as a form body, so the number
never appears in a URL (nor in a proxy's access log). References: "签名机制" / "Signature
method" (https://www.alibabacloud.com/help/en/sms/signature-method), SendSms
(https://help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms) and its
error codes (https://help.aliyun.com/zh/sms/support/api-error-codes).

OutId carries civgrid's idempotency key, so a message can be traced in the console; the service
itself does not deduplicate on it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from civgrid.notices.channels import http
from civgrid.notices.channels.base import DeliveryError
from civgrid.notices.channels.sms import SmsRequest

# Codes after which the same message can succeed later: throttling, the daily quota, an account
# in arrears topped up, the service's own faults. Every other isv.* code (bad number, template or
# signature refused, parameters not matching the template) and authentication errors are
# permanent.
TEMPORARY_CODES = frozenset(
    {
        "isv.BUSINESS_LIMIT_CONTROL",
        "isv.DAY_LIMIT_CONTROL",
        "isv.AMOUNT_NOT_ENOUGH",
        "isv.OUT_OF_SERVICE",
        "SignatureNonceUsed",
        "ServiceUnavailable",
        "InternalError",
    }
)
TEMPORARY_PREFIXES = ("isp.", "Throttling")


def percent_encode(value: str) -> str:
    return quote(value, safe="~")


def string_to_sign(params: dict[str, str], method: str = "POST") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(params[k])}" for k in sorted(params))
    return f"{method}&%2F&" + percent_encode(canonical)


def sign(secret: str, params: dict[str, str], method: str = "POST") -> str:
    digest = hmac.new(
        f"{secret}&".encode(), string_to_sign(params, method).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode()


def is_temporary(code: str) -> bool:
    return code in TEMPORARY_CODES or code.startswith(TEMPORARY_PREFIXES)


class AliyunGateway:
    name = "aliyun"
    needs_template = True

    def send(self, request: SmsRequest) -> str:
        key_id = settings.CIVGRID_ALIYUN_ACCESS_KEY_ID
        secret = settings.CIVGRID_ALIYUN_ACCESS_KEY_SECRET
        if not key_id or not secret or not request.sign_name:
            raise DeliveryError(
                "sms aliyun: set CIVGRID_ALIYUN_ACCESS_KEY_ID, _SECRET and CIVGRID_SMS_SIGN_NAME",
                permanent=True,
            )
        params = {
            "AccessKeyId": key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
            "PhoneNumbers": request.mobile,
            "SignName": request.sign_name,
            "TemplateCode": request.template_code,
            "TemplateParam": json.dumps(request.params, ensure_ascii=False),
            "OutId": request.key,
        }
        params["Signature"] = sign(secret, params)
        body = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in params.items())
        response = http.post(
            settings.CIVGRID_ALIYUN_SMS_ENDPOINT,
            provider="sms aliyun",
            data=body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            answer_4xx=True,  # signature and parameter errors come as 4xx with a Code
        )
        try:
            answer = http.json_body(response, provider="sms aliyun")
        except DeliveryError:
            if response.status_code >= 400:
                http.refuse(response, provider="sms aliyun")
            raise
        code = str(answer.get("Code", ""))
        if code == "OK":
            return str(answer.get("BizId", ""))
        reason = f"sms aliyun: {code or 'no Code'} {str(answer.get('Message', ''))[:200]}"
        raise DeliveryError(reason, permanent=bool(code) and not is_temporary(code))
