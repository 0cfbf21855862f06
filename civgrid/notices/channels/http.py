"""One POST to a provider, with the failures every HTTP channel maps the same way.

A timeout, a refused connection, 408, 429 and 5xx are temporary (the outbox retries with
back-off); any other 4xx is permanent. The caller reads the provider's own error codes from the
body of a 2xx answer. URLs are never logged here: a robot's webhook URL is its credential.
"""

from __future__ import annotations

import json
from typing import Any

import requests
from django.conf import settings

from civgrid.notices.channels.base import DeliveryError

TEMPORARY_STATUSES = frozenset({408, 425, 429})


def timeout() -> float:
    """Seconds to wait for a provider (connect and read), CIVGRID_CHANNEL_TIMEOUT."""
    return float(settings.CIVGRID_CHANNEL_TIMEOUT)


def post(
    url: str,
    *,
    provider: str,
    data: bytes,
    headers: dict[str, str],
) -> requests.Response:
    """POST `data`; return the 2xx response or raise DeliveryError (see the module docstring)."""
    try:
        response = requests.post(url, data=data, headers=headers, timeout=timeout())
    except requests.Timeout as exc:
        raise DeliveryError(f"{provider}: no answer within {timeout():g} s") from exc
    except requests.RequestException as exc:
        raise DeliveryError(f"{provider}: {type(exc).__name__}") from exc
    status = response.status_code
    if status < 300:
        return response
    reason = f"{provider}: HTTP {status}"
    raise DeliveryError(reason, permanent=status < 500 and status not in TEMPORARY_STATUSES)


def json_body(response: requests.Response, *, provider: str) -> dict[str, Any]:
    """The JSON object a provider answered with; an unreadable answer is temporary (a proxy's
    error page, a truncated body)."""
    try:
        body = response.json()
    except ValueError as exc:
        raise DeliveryError(f"{provider}: the answer is not JSON") from exc
    if not isinstance(body, dict):
        raise DeliveryError(f"{provider}: the answer is not a JSON object")
    return body


def post_json(
    url: str, payload: dict[str, Any], *, provider: str, headers: dict[str, str] | None = None
) -> requests.Response:
    """POST `payload` as UTF-8 JSON (Chinese kept as is, as the providers' examples send it)."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    all_headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    return post(url, provider=provider, data=data, headers=all_headers)


def truncate_utf8(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes on a character boundary (robots count bytes)."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode(errors="ignore") + "…"
