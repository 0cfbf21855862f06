"""Rate limits for the public side (防刷): a fixed-window counter in Django's cache.

Each rule allows `limit` hits per `window` seconds for one key (a client IP, a phone number,
an API key). The counter lives in the default cache: LocMemCache counts per process, which
is enough for one server; several processes or servers should point CACHES at a shared
cache such as Redis (docs/public.md). A fixed window lets a burst of up to 2 × limit straddle
a window boundary; for slowing down guessing and flooding that is good enough, and it costs
one cache round trip.

Rules can be tuned without code: settings.CIVGRID_PUBLIC_RATE_LIMITS = {"report_ip": (10,
3600), ...} overrides the defaults below by name.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from civgrid.lib.clientip import client_ip

__all__ = ["RateLimited", "Rule", "client_ip", "get_rule", "hit"]


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window: int  # seconds


DEFAULT_RULES: dict[str, tuple[int, int]] = {
    # Reports sent from one IP address: a family or an office behind one address still fits.
    "report_ip": (10, 3600),
    # Reports giving one phone number.
    "report_phone": (5, 24 * 3600),
    # Status look-ups by tracking code from one IP: slows down guessing codes.
    "lookup_ip": (30, 600),
    # Ratings sent from one IP.
    "rate_ip": (20, 3600),
    # Open311 POSTs per API key.
    "open311_key": (300, 3600),
    # Open311 POSTs per sender IP (whatever the key).
    "open311_ip": (60, 3600),
    # Open311 GETs (discovery, services, requests) per client IP: a client polling every
    # minute fits many times over; harvesting every report does not.
    "open311_read_ip": (300, 600),
}


class RateLimited(Exception):
    """Too many hits: `retry_after` seconds until the window ends."""

    def __init__(self, rule: Rule, retry_after: int) -> None:
        super().__init__(rule.name)
        self.rule = rule
        self.retry_after = retry_after


def get_rule(name: str) -> Rule:
    overrides = getattr(settings, "CIVGRID_PUBLIC_RATE_LIMITS", None) or {}
    limit, window = overrides.get(name, DEFAULT_RULES[name])
    return Rule(name, int(limit), int(window))


def hit(name: str, key: str, *, now: float | None = None) -> int:
    """Count one hit of `key` under rule `name`; returns the count in the current window, or
    raises RateLimited when it is over the limit. An empty key is not limited (returns 0)."""
    if not key:
        return 0
    rule = get_rule(name)
    now = time.time() if now is None else now
    window_no = int(now // rule.window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"civgrid:rl:{rule.name}:{digest}:{window_no}"
    # add() is atomic where the cache is (Redis, Memcached), so two first hits do not both
    # start at zero; the timeout outlives the window a little, never much.
    cache.add(cache_key, 0, timeout=rule.window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr: start again
        cache.set(cache_key, 1, timeout=rule.window + 1)
        count = 1
    if count > rule.limit:
        end = (window_no + 1) * rule.window
        raise RateLimited(rule, max(1, math.ceil(end - now)))
    return int(count)
