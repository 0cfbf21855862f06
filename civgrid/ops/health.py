"""What `/ops/health/` checks: the database (and the replica), the cache, the task queue.

Each check answers {"ok": bool, "ms": float} plus what it found; a failure names only the kind
of error, since the endpoint is open to load balancers and anyone who can reach it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections

from civgrid.ops import metrics, routing

Check = dict[str, Any]


def _timed(check: Callable[[], dict[str, Any]]) -> Check:
    started = time.perf_counter()
    try:
        found = check()
        result: Check = {"ok": True, **found}
    except Exception as exc:  # a health check reports every failure, it never raises
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _database(alias: str) -> Callable[[], dict[str, Any]]:
    def check() -> dict[str, Any]:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {}

    return check


def _cache() -> dict[str, Any]:
    key, value = f"civgrid:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _queue() -> dict[str, Any]:
    return {"backend": settings.CIVGRID_TASKS, "depth": sum(metrics.queue_depth().values())}


def run_checks() -> tuple[bool, dict[str, Check]]:
    checks = {"database": _timed(_database("default"))}
    if routing.replica_configured():
        checks["replica"] = _timed(_database(settings.CIVGRID_READ_REPLICA))
    checks["cache"] = _timed(_cache)
    checks["queue"] = _timed(_queue)
    return all(check["ok"] for check in checks.values()), checks
