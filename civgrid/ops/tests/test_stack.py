"""The multi-process stack of `make stack` (2 web processes + RQ worker + scheduler, on
PostgreSQL + Redis) serves the phone flow end to end: a grid worker reports with a photo on one
web process, the office registers and assigns on the other, the clerk accepts and submits with
evidence, the office verifies; the worker delivers the notices and runs the scheduled jobs."""

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib import request as urlrequest
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

import pytest
from django.db import connection

from civgrid import testing

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("CIVGRID_STACK_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the stack runs on PostgreSQL (the PostgreSQL run of the suite tests it)",
)

SEED = """
import json, django
django.setup()
from rest_framework.authtoken.models import Token
from civgrid import testing
w = testing.build_world()
people = {"worker": w.worker_a, "office": w.office, "clerk": w.clerk}
print(json.dumps({
    "tokens": {k: Token.objects.create(user=p.user).key for k, p in people.items()},
    "unit": w.unit.code, "category": w.category.code,
}))
"""

FACTS = """
SELECT
    (SELECT count(*) FROM notices_delivery WHERE status = 'sent'),
    (SELECT count(*) FROM notices_delivery WHERE status = 'pending' AND due_at <= now()),
    (SELECT count(*) FROM scheduling_scheduledrun WHERE status IN ('done', 'attention'))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


class Http:
    def __init__(self, port: int, token: str) -> None:
        self.base, self.token = f"http://127.0.0.1:{port}", token

    def call(self, method: str, path: str, body: bytes | None = None, **headers: str) -> Any:
        req = urlrequest.Request(self.base + path, data=body, method=method)
        req.add_header("Authorization", f"Token {self.token}")
        for name, value in headers.items():
            req.add_header(name.replace("_", "-"), value)
        try:
            with urlrequest.urlopen(req, timeout=30) as response:
                data = response.read()
                kind = response.headers.get("Content-Type", "")
                return response.status, json.loads(data) if "json" in kind else data
        except HTTPError as exc:
            return exc.code, exc.read()

    def json(self, path: str, payload: dict[str, Any]) -> Any:
        return self.call(
            "POST", path, json.dumps(payload).encode(), Content_Type="application/json"
        )

    def multipart(self, path: str, fields: dict[str, Any], photo: bytes, **headers: str) -> Any:
        boundary = uuid.uuid4().hex
        out = io.BytesIO()
        for name, value in fields.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
            f'filename="p.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
            + photo
            + f"\r\n--{boundary}--\r\n".encode()
        )
        content_type = f"multipart/form-data; boundary={boundary}"
        return self.call("POST", path, out.getvalue(), Content_Type=content_type, **headers)


def wait_healthy(port: int, proc: subprocess.Popen, deadline: float) -> dict[str, Any]:
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the stack exited while starting"
        try:
            with urlrequest.urlopen(f"http://127.0.0.1:{port}/ops/health/", timeout=5) as r:
                return json.loads(r.read())
        except (URLError, ConnectionError, OSError):
            time.sleep(0.3)
    raise AssertionError(f"the web process on {port} did not answer its health check")


@pytest.fixture
def stack_env(tmp_path):
    if not redis_reachable():
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    import psycopg
    import redis

    base = {k: v for k, v in connection.settings_dict.items() if k in ("HOST", "PORT", "USER")}
    name = f"{connection.settings_dict['NAME']}_stack"
    admin = {"host": base.get("HOST") or None, "port": base.get("PORT") or None}
    admin = {k: v for k, v in admin.items() if v} | {"user": base.get("USER") or "postgres"}
    # A copy of the tests' migrated, empty database: the stack's migrate then has nothing to
    # do (a fresh migrate takes most of a minute on a busy machine).
    template = connection.settings_dict["NAME"]
    connection.close()
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    redis.Redis.from_url(REDIS_URL).flushdb()
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CIVGRID_", "PROMETHEUS_")) and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="civgrid.settings",
        CIVGRID_REDIS_URL=REDIS_URL,
        CIVGRID_TASKS="rq",
        CIVGRID_VAR_DIR=str(tmp_path / "var"),
        CIVGRID_SECRET_KEY="stack-test-" + "x" * 50,
        CIVGRID_ALLOWED_HOSTS="127.0.0.1",
        CIVGRID_NOTICES_CONSOLE="1",  # outside channels recorded, not sent
        PYTHONUNBUFFERED="1",
    )
    yield env
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    redis.Redis.from_url(REDIS_URL).flushdb()


def django_script(code: str, env: dict[str, str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def stack_facts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(FACTS).fetchone()
    assert row is not None
    return dict(zip(("sent", "pending", "runs_done"), row, strict=True))


@pytest.mark.django_db(transaction=True)
def test_the_stack_serves_the_phone_flow_end_to_end(stack_env, tmp_path):
    ports = [free_port(), free_port()]
    log = open(tmp_path / "stack.log", "wb")  # noqa: SIM115 (closed in finally)
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "civgrid.ops.stack", "--ports", f"{ports[0]},{ports[1]}"],
        env=stack_env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for port in ports:
            health = wait_healthy(port, proc, started + 120)
            print(f"web on {port} healthy after {time.monotonic() - started:.1f} s")
            assert health["status"] == "ok", health
            assert health["checks"]["queue"]["backend"] == "rq"
            assert health["checks"]["cache"]["backend"] == "RedisCache"
        seeded = django_script(SEED, stack_env)
        tokens = seeded["tokens"]
        worker = Http(ports[0], tokens["worker"])
        office = Http(ports[1], tokens["office"])
        clerk = Http(ports[0], tokens["clerk"])
        photo = testing.png_bytes("orange")

        key = uuid.uuid4().hex
        fields = {
            "source": "patrol",
            "category": seeded["category"],
            "description": "部署测试：人行道占道经营",
            "longitude": "114.605",
            "latitude": "33.605",
        }
        status, case = worker.multipart("/api/v1/cases/", fields, photo, Idempotency_Key=key)
        assert status == 201, case
        again, same = worker.multipart("/api/v1/cases/", fields, photo, Idempotency_Key=key)
        assert (again, same["id"]) == (200, case["id"])  # the phone's resend: one case
        actions = f"/api/v1/cases/{case['id']}/actions"

        status, case = office.json(f"{actions}/register/", {"version": case["version"]})
        assert status == 200, case
        status, case = office.json(
            f"{actions}/assign/", {"version": case["version"], "unit": seeded["unit"]}
        )
        assert (status, case["status"]) == (200, "assigned"), case
        status, case = clerk.json(f"{actions}/accept/", {"version": case["version"]})
        assert status == 200, case
        status, case = clerk.multipart(
            f"{actions}/submit/", {"version": case["version"], "note": "已清理"}, photo
        )
        assert (status, case["status"]) == (200, "submitted"), case
        status, case = office.json(f"{actions}/verify_pass/", {"version": case["version"]})
        assert status == 200, case
        assert case["status"] in ("verified", "closed")

        status, detail = worker.call("GET", f"/api/v1/cases/{case['id']}/")
        assert status == 200 and len(detail["photos"]) == 2
        for item in detail["photos"]:
            status, data = office.call("GET", urlsplit(item["url"]).path)
            assert status == 200 and data == photo

        # The RQ worker delivered the notices; the scheduler's jobs ran on it.
        deadline = time.monotonic() + 30
        while True:
            facts = stack_facts(stack_env["DATABASE_URL"])
            if (facts["sent"] and not facts["pending"] and facts["runs_done"]) or (
                time.monotonic() > deadline
            ):
                break
            time.sleep(1)
        print(f"flow done after {time.monotonic() - started:.1f} s")
        assert facts["sent"] > 0 and facts["pending"] == 0, facts
        assert facts["runs_done"] > 0, facts

        # One scrape of either web process sums its workers' requests.
        with urlrequest.urlopen(f"http://127.0.0.1:{ports[1]}/ops/metrics", timeout=10) as r:
            metrics = r.read().decode()
        assert (
            'civgrid_http_requests_total{method="POST",status="200",view="api:case-assign"}'
            in metrics
        )
        assert 'civgrid_queue_depth{queue="default"} 0.0' in metrics
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
        print((tmp_path / "stack.log").read_text(errors="replace")[-5000:])
