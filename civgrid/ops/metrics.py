"""Prometheus metrics: request counts and latencies per view, and what the office and the
operator watch — queue depth, notices waiting, overdue cases per district.

Request metrics are counted in each process. Under gunicorn `civgrid serve` points
PROMETHEUS_MULTIPROC_DIR at a fresh folder before the workers are forked, so prometheus_client
writes each worker's counts to its own memory-mapped file and one scrape of any worker sums them
all (its "multiprocess mode"). The domain figures are read from the database at scrape time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector

REQUESTS = Counter(
    "civgrid_http_requests",
    "HTTP requests answered, by view (URL name), method and status code.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "civgrid_http_request_duration_seconds",
    "Time to answer a request, by view (URL name).",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def observe(view: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    LATENCY.labels(view=view).observe(seconds)


def queue_depth() -> dict[str, int]:
    """Tasks waiting to run, per queue of the configured backend."""
    if settings.CIVGRID_TASKS == "rq":
        import django_rq

        return {name: django_rq.get_queue(name).count for name in settings.RQ_QUEUES}
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.ready().values("queue_name").annotate(n=Count("id"))
    depth = {"default": 0}
    depth.update({row["queue_name"]: row["n"] for row in rows})
    return depth


class DomainCollector(Collector):
    """Figures read from the database when Prometheus scrapes."""

    def collect(self) -> Iterator[Metric]:
        from civgrid.cases.models import Case
        from civgrid.cases.queries import overdue_q
        from civgrid.notices.models import Delivery

        depth = GaugeMetricFamily(
            "civgrid_queue_depth", "Background tasks waiting to run.", labels=["queue"]
        )
        for queue, n in sorted(queue_depth().items()):
            depth.add_metric([queue], n)
        yield depth

        pending = Delivery.objects.filter(status=Delivery.Status.PENDING).count()
        yield GaugeMetricFamily(
            "civgrid_notice_deliveries_pending", "Notices waiting to be delivered.", value=pending
        )

        overdue = GaugeMetricFamily(
            "civgrid_cases_overdue",
            "Open cases past their deadline (超期未办结), by the district of the responsible unit.",
            labels=["district"],
        )
        rows = (
            Case.objects.filter(overdue_q(timezone.now()))
            .values("unit__region__name")
            .annotate(n=Count("id"))
            .order_by("unit__region__name")
        )
        for row in rows:
            overdue.add_metric([row["unit__region__name"] or "-"], row["n"])
        yield overdue


def _registries() -> Iterable[CollectorRegistry]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        yield registry
    else:
        yield REGISTRY
    domain = CollectorRegistry(auto_describe=True)
    domain.register(DomainCollector())
    yield domain


def exposition() -> bytes:
    """The text a scrape gets: every process's request metrics, then the domain figures."""
    return b"".join(generate_latest(registry) for registry in _registries())
