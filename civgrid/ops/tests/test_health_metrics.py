"""/ops/health/, /ops/metrics and the JSON logs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from prometheus_client import CollectorRegistry, multiprocess

from civgrid import testing
from civgrid.ops import metrics, serving

ROOT = Path(__file__).resolve().parents[3]


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(DJANGO_SETTINGS_MODULE="civgrid.settings_test", **extra)
    return env


@pytest.mark.django_db
def test_health_answers_200_with_each_check_when_all_answer(client):
    response = client.get(reverse("ops:health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "queue"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["queue"]["depth"] == 0
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_health_answers_503_naming_the_cache_when_redis_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    response = client.get(reverse("ops:health"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["cache"]["error"] == "ConnectionError"
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_health_answers_503_when_the_queue_cannot_be_read(client, monkeypatch):
    def broken() -> dict[str, int]:
        raise ConnectionRefusedError("redis down")

    monkeypatch.setattr(metrics, "queue_depth", broken)
    response = client.get(reverse("ops:health"))
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == {
        "ok": False,
        "error": "ConnectionRefusedError",
        "ms": response.json()["checks"]["queue"]["ms"],
    }


@pytest.mark.django_db
def test_health_counts_tasks_waiting_in_the_database_queue(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from civgrid.scheduling.queue import ping

    ping.enqueue(1)
    ping.enqueue(2)
    assert client.get(reverse("ops:health")).json()["checks"]["queue"]["depth"] == 2


@pytest.mark.django_db
def test_metrics_count_requests_by_view_and_status(client):
    client.get(reverse("ops:health"))
    client.get("/no-such-page/")
    text = client.get(reverse("ops:metrics")).content.decode()
    assert 'civgrid_http_requests_total{method="GET",status="200",view="ops:health"}' in text
    assert 'civgrid_http_requests_total{method="GET",status="404",view="<unresolved>"}' in text
    assert 'civgrid_http_request_duration_seconds_bucket{le="0.1",view="ops:health"}' in text
    assert 'civgrid_queue_depth{queue="default"} 0.0' in text
    assert "civgrid_notice_deliveries_pending 0.0" in text


def test_metrics_are_hidden_from_other_machines_without_a_token(client, db):
    assert client.get(reverse("ops:metrics"), REMOTE_ADDR="10.0.0.7").status_code == 404
    assert client.get(reverse("ops:metrics"), REMOTE_ADDR="127.0.0.1").status_code == 200


def test_metrics_need_the_bearer_token_when_one_is_set(client, db, settings):
    settings.CIVGRID_METRICS_TOKEN = "s3cret-token"
    url = reverse("ops:metrics")
    assert client.get(url, REMOTE_ADDR="127.0.0.1").status_code == 404
    assert client.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 404
    ok = client.get(url, REMOTE_ADDR="10.0.0.7", headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200


def test_metrics_count_overdue_cases_per_district(client, city):
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False):
        late = testing.drive(testing.report(city), city, "register", "assign")
        testing.drive(testing.report(city), city, "register", "assign")
        testing.report(city)  # not assigned: no deadline, never overdue
    assert late.due_at is not None
    with time_machine.travel(late.due_at.timestamp() + 86400, tick=False):
        text = client.get(reverse("ops:metrics")).content.decode()
    assert 'civgrid_cases_overdue{district="川汇区"} 2.0' in text
    assert "淮阳区" not in text


def test_request_metrics_of_several_processes_add_up_in_one_scrape(tmp_path):
    """prometheus_client's multiprocess mode, as under gunicorn: two processes each count a
    request; a scrape reading the folder sees both."""
    code = "from civgrid.ops import metrics; metrics.observe('cases:ledger', 'GET', 200, 0.05)"
    for _ in range(2):
        subprocess.run(
            [sys.executable, "-c", code],
            env=child_env(PROMETHEUS_MULTIPROC_DIR=str(tmp_path)),
            cwd=ROOT,
            check=True,
        )
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(tmp_path))
    labels = {"view": "cases:ledger", "method": "GET", "status": "200"}
    assert registry.get_sample_value("civgrid_http_requests_total", labels) == 2.0
    assert len(list(tmp_path.glob("*.db"))) >= 2  # one file per process


def test_logs_are_one_json_object_per_line_when_configured(tmp_path):
    code = (
        "import django; django.setup(); from django.test import Client; "
        "Client().get('/no-such-page/')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=child_env(CIVGRID_LOG_FORMAT="json", CIVGRID_LOG_LEVEL="INFO"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    request = next(line for line in lines if line.get("logger") == "civgrid.requests")
    assert request["level"] == "INFO"
    assert request["status"] == 404
    assert request["view"] == "<unresolved>"
    assert request["path"] == "/no-such-page/"
    assert "duration_ms" in request and "time" in request


def test_serve_gives_each_address_its_own_fresh_metrics_folder(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    settings.VAR_DIR = tmp_path
    first = serving.prepare_metrics_dir("127.0.0.1:8101")
    (first / "counter_123.db").write_bytes(b"stale")
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    second = serving.prepare_metrics_dir("127.0.0.1:8102")
    assert first != second and os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(second)
    assert (first / "counter_123.db").exists()  # the other server's counts are left alone
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    assert serving.prepare_metrics_dir("127.0.0.1:8101") == first
    assert list(first.iterdir()) == []  # a restart starts from fresh counts
