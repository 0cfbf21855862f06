"""Middlewares of civgrid.ops: request metrics and logs, and replica reads for report pages."""

from __future__ import annotations

import fnmatch
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from civgrid.ops import metrics, routing

request_log = logging.getLogger("civgrid.requests")


def view_name(request: HttpRequest) -> str:
    """The URL name of the view that answered: a label with few values (never the raw path,
    which holds ids and would make one time series per case)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or "<unnamed>"


class RequestMetricsMiddleware:
    """Counts every answer and its latency by view, method and status; logs it at INFO."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        view = view_name(request)
        metrics.observe(view, request.method or "", response.status_code, seconds)
        if request_log.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            request_log.info(
                "request",
                extra={
                    "method": request.method,
                    "view": view,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
        return response


def replica_view(view: str) -> bool:
    return any(fnmatch.fnmatchcase(view, pattern) for pattern in settings.CIVGRID_REPLICA_VIEWS)


class ReplicaReadsMiddleware:
    """GET and HEAD requests to the views named in CIVGRID_REPLICA_VIEWS (by default the
    report pages — dashboard, rankings, drill-downs — the direct ledger workbook and the
    bulletin) read the replica, template rendering included; nothing else does. A no-op when
    no replica is configured."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_civgrid_replica_token", None)
            if token is not None:
                routing._reading_replica.reset(token)

    def process_view(self, request: HttpRequest, view_func: object, args: object, kwargs: object):
        if (
            request.method in ("GET", "HEAD")
            and routing.replica_configured()
            and replica_view(view_name(request))
        ):
            # Who is asking is read from the primary first: a session or a two-factor device
            # created a moment ago may not have reached the replica yet.
            user = getattr(request, "user", None)
            if user is not None:
                user.is_authenticated  # noqa: B018 (evaluates the lazy user)
            request._civgrid_replica_token = routing._reading_replica.set(True)  # type: ignore[attr-defined]
        return None
