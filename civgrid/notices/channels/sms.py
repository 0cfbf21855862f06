"""SMS (短信) through a pluggable gateway: CIVGRID_SMS_BACKEND = "webhook" | "aliyun" | "tencent".

The channel checks the number (a mainland mobile: +86 / 86 / 0086 then 1[3-9] and nine digits),
finds the provider's registered template for the message kind (`Message.extra["template"]`, one
of TEMPLATE_KINDS) in CIVGRID_SMS_TEMPLATES, fills its parameters and hands one `SmsRequest` to
the gateway. Chinese carriers only deliver registered templates under a registered signature
(短信签名, CIVGRID_SMS_SIGN_NAME), so free text goes only to the generic webhook.

Template settings, one entry per kind; `params` maps the provider's parameter names, in the
template's order, to civgrid's: "subject", "body", "url" or a key of `Message.extra["params"]`::

    {"case_answered": {"code": "SMS_154950909", "params": {"code": "case_code", "link": "url"}}}

Phone numbers never reach a log: only `mask(number)` does.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Protocol, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from civgrid.cases.models import mask_phone
from civgrid.notices.channels.base import Channel, DeliveryError, Message

logger = logging.getLogger(__name__)

# civgrid's message kinds that may go out by SMS; each needs a template registered with the
# provider (the webhook gateway can do without).
TEMPLATE_KINDS = ("case_answered", "case_assigned", "reminder", "escalation", "callback_invite")

GATEWAYS = {
    "webhook": "civgrid.notices.channels.sms_webhook.WebhookGateway",
    "aliyun": "civgrid.notices.channels.sms_aliyun.AliyunGateway",
    "tencent": "civgrid.notices.channels.sms_tencent.TencentGateway",
}

_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9]\d{9})")


def national_mobile(phone: str) -> str:
    """The 11-digit mainland mobile number in `phone` (spaces and dashes allowed), or ""."""
    match = _MOBILE.fullmatch(re.sub(r"[\s-]", "", phone))
    return match.group(1) if match else ""


def mask(phone: str) -> str:
    """What a log may show of a number: 138****5678."""
    return mask_phone(national_mobile(phone) or phone)


@dataclass(frozen=True)
class SmsRequest:
    """One text message as a gateway sends it."""

    key: str  # the idempotency key (Message.key)
    mobile: str  # 11 digits, mainland; gateways add +86 where the provider wants it
    kind: str  # civgrid's message kind ("" when the message has none)
    template_code: str  # the provider's template ("" when none is registered)
    params: dict[str, str]  # provider parameter name -> value, in the template's order
    text: str  # the message as plain text, for gateways that send free text
    sign_name: str
    urgent: bool = False


class Gateway(Protocol):
    name: str
    needs_template: bool

    def send(self, request: SmsRequest) -> str: ...


def gateway() -> Gateway | None:
    """The configured gateway, or None when SMS is switched off (CIVGRID_SMS_BACKEND empty)."""
    name = settings.CIVGRID_SMS_BACKEND
    if not name:
        return None
    if name not in GATEWAYS:
        choices = ", ".join(GATEWAYS)
        raise ImproperlyConfigured(f"CIVGRID_SMS_BACKEND={name!r}: choose one of {choices}.")
    module, _dot, cls = GATEWAYS[name].rpartition(".")
    return cast(Gateway, getattr(import_module(module), cls)())


def template_params(message: Message, names: dict[str, str]) -> dict[str, str]:
    """The provider's parameters from civgrid's values; a missing value is permanent (the
    message cannot be sent with this template until the mapping or the notice changes)."""
    values: dict[str, Any] = {
        "subject": message.subject,
        "body": message.body,
        "url": message.url,
        **message.extra.get("params", {}),
    }
    params = {}
    for provider_name, civgrid_name in names.items():
        if civgrid_name not in values:
            raise DeliveryError(
                f"sms: no value for the template parameter {provider_name} ({civgrid_name})",
                permanent=True,
            )
        params[provider_name] = str(values[civgrid_name])
    return params


def build_request(message: Message, *, needs_template: bool) -> SmsRequest:
    mobile = national_mobile(message.phone)
    if not mobile:
        problem = "no phone number" if not message.phone else "not a mainland mobile number"
        raise DeliveryError(f"sms: {problem} ({mask(message.phone)})", permanent=True)
    kind = str(message.extra.get("template", ""))
    template = settings.CIVGRID_SMS_TEMPLATES.get(kind) if kind else None
    if needs_template and not template:
        raise DeliveryError(
            f"sms: no registered template for {kind or 'this message'!r} in CIVGRID_SMS_TEMPLATES",
            permanent=True,
        )
    return SmsRequest(
        key=message.key,
        mobile=mobile,
        kind=kind,
        template_code=str(template["code"]) if template else "",
        params=template_params(message, template.get("params", {})) if template else {},
        text="\n".join(filter(None, [message.subject, message.body, message.url])),
        sign_name=settings.CIVGRID_SMS_SIGN_NAME,
        urgent=message.urgent,
    )


class SmsChannel(Channel):
    code = "sms"
    label = cast(str, _("Text message (SMS)"))  # lazy: shown in the reader's language

    def send(self, message: Message) -> str:
        chosen = gateway()
        if chosen is None:
            raise DeliveryError("sms: no gateway configured (CIVGRID_SMS_BACKEND)", permanent=True)
        request = build_request(message, needs_template=chosen.needs_template)
        try:
            provider_id = chosen.send(request)
        except DeliveryError as failure:
            # A provider may echo the number in its error text; the reason is logged and stored.
            reason = failure.reason.replace(request.mobile, mask(request.mobile))
            logger.warning(
                "sms %s to %s via %s failed: %s",
                request.key,
                mask(request.mobile),
                chosen.name,
                reason,
            )
            raise DeliveryError(reason, permanent=failure.permanent) from None
        logger.info(
            "sms %s to %s via %s: %s", request.key, mask(request.mobile), chosen.name, provider_id
        )
        return provider_id
