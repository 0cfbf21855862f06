"""Health and metrics endpoints for load balancers and Prometheus (no login, no session)."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from civgrid.ops import health as health_checks
from civgrid.ops import metrics as metrics_module


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database, the cache and the queue answer, 503 (take me out) otherwise."""
    ok, checks = health_checks.run_checks()
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503
    )


def _may_scrape(request: HttpRequest) -> bool:
    token = settings.CIVGRID_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    # No token: only from this machine (a Prometheus agent beside the web process). The
    # socket's address, never a header a client can write.
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not _may_scrape(request):
        raise Http404("No such page")  # as if it did not exist: nothing to probe
    return HttpResponse(metrics_module.exposition(), content_type=CONTENT_TYPE_LATEST)
