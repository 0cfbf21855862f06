"""The one rule for a request's client address (public rate limits, API throttles, login lockout).

Without settings.CIVGRID_CLIENT_IP_HEADER the address is the socket's (REMOTE_ADDR) and every
forwarding header is ignored: anyone can write X-Forwarded-For, so trusting it by default lets a
client pick a fresh address for every request and slip past every limit counted per address.
Behind a reverse proxy set CIVGRID_CLIENT_IP_HEADER to the header that proxy writes, as the
request.META key or the header name ("HTTP_X_REAL_IP", "X-Forwarded-For"). For a list
(X-Forwarded-For) the last entry counts, the one our proxy appended: earlier ones are whatever
the client claimed. A value that is not an IP address falls back to REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def meta_key(header: str) -> str:
    """ "X-Forwarded-For" → "HTTP_X_FORWARDED_FOR"; META keys are kept as they are."""
    name = header.strip()
    if name == "REMOTE_ADDR" or name.startswith("HTTP_"):
        return name
    return "HTTP_" + name.upper().replace("-", "_")


def _valid(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def client_ip(request: Any) -> str:
    """The client's address for `request` (an HttpRequest or REST framework's Request)."""
    meta = request.META
    remote = _valid(str(meta.get("REMOTE_ADDR") or "").strip())
    header = getattr(settings, "CIVGRID_CLIENT_IP_HEADER", None)
    if not header:
        return remote
    value = str(meta.get(meta_key(header)) or "")
    return _valid(value.split(",")[-1].strip()) or remote
