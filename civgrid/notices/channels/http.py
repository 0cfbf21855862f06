"""One POST to a provider, with the failures every HTTP channel maps the same way.

A timeout, a refused connection, 408, 429 and 5xx are temporary (the outbox retries with
back-off); any other 4xx is permanent. The caller reads the provider's own error codes from the
body of a 2xx answer. URLs are never logged: a robot's webhook URL is its credential
(settings.LOGGING keeps urllib3, which logs request lines at DEBUG, at WARNING).
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

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
    answer_4xx: bool = False,
) -> requests.Response:
    """POST `data`; return the 2xx response or raise DeliveryError (see the module docstring).
    With `answer_4xx` a 4xx answer is returned too, for providers that put their error code in
    the body of a 4xx (the caller then maps the code, or calls `refuse`)."""
    try:
        response = requests.post(url, data=data, headers=headers, timeout=timeout())
    except requests.Timeout as exc:
        raise DeliveryError(f"{provider}: no answer within {timeout():g} s") from exc
    except requests.RequestException as exc:
        raise DeliveryError(f"{provider}: {type(exc).__name__}") from exc
    if response.status_code < 300 or (answer_4xx and response.status_code < 500):
        return response
    refuse(response, provider=provider)


def refuse(response: requests.Response, *, provider: str) -> NoReturn:
    """Raise the DeliveryError an HTTP status means."""
    status = response.status_code
    reason = f"{provider}: HTTP {status}"
    raise DeliveryError(reason, permanent=400 <= status < 500 and status not in TEMPORARY_STATUSES)


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
    data = dumps(payload)
    all_headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    return post(url, provider=provider, data=data, headers=all_headers)


def dumps(payload: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON, the bytes a signature is computed over."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def truncate_utf8(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes on a character boundary (robots count bytes)."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode(errors="ignore") + "…"
