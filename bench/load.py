"""Load and crash: civgrid under gunicorn with concurrent clients, kill -9, then invariants.

    .venv/bin/python bench/load.py --db sqlite --workers 3 --clients 12 --seconds 60
    .venv/bin/python bench/load.py --db sqlite --kills 3
    .venv/bin/python bench/load.py --db postgres --kills 3 \\
        --database-url postgres://postgres@127.0.0.1:5432/civgrid_load

1. Makes a fresh database (a SQLite file under --var-dir, or drops and creates the PostgreSQL
   database named by --database-url), runs `civgrid serve --migrate --prepare-only` on it and
   loads a small world (civgrid.testing.build_world plus grid workers) with API tokens.
2. Starts `civgrid serve` (gunicorn, --workers processes, DEBUG off) on 127.0.0.1:--port in a
   process group of its own.
3. Drives --clients threads over HTTP (http.client, a new connection per request) until
   --seconds have passed or --requests were answered: grid workers report cases with an
   Idempotency-Key and a JPEG photo (multipart; some fixed on the spot with an evidence photo,
   some re-sent on purpose), the office and an inspector register, assign and verify, the unit's
   clerk accepts and submits with a photo (always with the version read), readers open the
   ledger page (session login) and the API list.
4. With --kills K, sends SIGKILL to the whole server process group K times at random moments
   and starts it again. Every request left unanswered (connection refused or reset, a 5xx) is
   sent again, the same key or version with it, until answered or --give-up seconds pass.
5. Stops the server, then checks: the reported cases are exactly the acknowledged keys (one
   case a key), version == number of events for every case, every case's event chain replays
   through civgrid.cases.workflow.TRANSITIONS to its status, each report has its photo, and the
   file rows of every model == the files under MEDIA_ROOT.

Prints throughput, p50/p95/p99 by kind of request and errors by status; exits 1 when an
invariant fails. Loops are bounded; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 60


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/civgrid_load",
        help="the PostgreSQL database to drop and create (with --db postgres)",
    )
    p.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    p.add_argument("--clients", type=int, default=12, help="concurrent client threads")
    p.add_argument("--seconds", type=float, default=60.0, help="how long to send new requests")
    p.add_argument("--requests", type=int, default=0, help="stop after this many instead")
    p.add_argument("--kills", type=int, default=0, help="kill -9 the server group K times")
    p.add_argument("--port", type=int, default=18200)
    p.add_argument("--var-dir", default="", help="default /tmp/civgrid-load-<db>")
    p.add_argument("--give-up", type=float, default=120.0, help="seconds to retry one request")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--mix",
        choices=["mixed", "intake", "ledger", "dashboard"],
        default="mixed",
        help="mixed: the workflow above; intake: grid workers reporting only; ledger: the "
        "office reading the ledger page only; dashboard: the office opening the dashboard only "
        "(for the capacity plan in docs/operations.md)",
    )
    p.add_argument(
        "--preload",
        type=int,
        default=0,
        help="cases put on the ledger before the run (a third assigned), so the pages read "
        "something (default 0; 300 for --mix ledger/dashboard is a fair start)",
    )
    args = p.parse_args()
    if not args.var_dir:
        args.var_dir = f"/tmp/civgrid-load-{args.db}"
    if not 1 <= args.clients <= 200 or not 1 <= args.workers <= 32:
        p.error("--clients must be 1..200 and --workers 1..32")
    if args.requests <= 0 and args.seconds <= 0:
        p.error("give --seconds or --requests")
    return args


# --- the database and the world ----------------------------------------------------------


def fresh_database(args: argparse.Namespace) -> str:
    var = Path(args.var_dir)
    marker = var / ".civgrid-load"  # an earlier run's folder, which may be emptied
    if var.exists() and any(var.iterdir()) and not marker.exists():
        raise SystemExit(f"{var} is not empty and not an earlier run's: choose another --var-dir")
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    marker.touch()
    if args.db == "sqlite":
        return f"sqlite:///{var / 'civgrid.sqlite3'}"
    import psycopg

    base, name = args.database_url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return args.database_url


def server_env(args: argparse.Namespace, database_url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CIVGRID_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="civgrid.settings",
        CIVGRID_VAR_DIR=args.var_dir,
        CIVGRID_SECRET_KEY=secrets.token_urlsafe(50),
        CIVGRID_ALLOWED_HOSTS=HOST,
        CIVGRID_DEBUG="0",
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class World:
    tokens: dict[str, str]  # username -> API token
    workers: list[tuple[str, tuple[float, float]]]  # grid worker username, (lon, lat) of grid
    password: str
    unit_code: str
    category_code: str
    ledger_path: str
    login_path: str
    dashboard_path: str


def build(n_workers: int, preload: int = 0) -> World:
    """The world of the tests (two grids, every role) plus grid workers, with API tokens."""
    from django.urls import reverse
    from rest_framework.authtoken.models import Token

    from civgrid import testing
    from civgrid.org.models import Role

    w = testing.build_world()
    people = [w.office, w.inspector, w.clerk, w.worker_a, w.worker_b]
    grids = [(w.grid_a, (114.60, 33.60)), (w.grid_b, (114.61, 33.60))]
    workers = [(w.worker_a.user.username, grids[0][1]), (w.worker_b.user.username, grids[1][1])]
    for i in range(max(0, n_workers - 2)):
        grid, corner = grids[i % 2]
        person = testing.make_person(
            Role.GRID_WORKER, username=f"load_worker{i}", regions=[grid], name=f"网格员{i}"
        )
        people.append(person)
        workers.append((person.user.username, corner))
    tokens = {p.user.username: Token.objects.create(user=p.user).key for p in people}
    for n in range(preload):
        grid_index = n % 2
        case = testing.report(
            w,
            by=w.worker_a if grid_index == 0 else w.worker_b,
            longitude=grids[grid_index][1][0] + 0.001 + (n % 97) / 12000,
            latitude=grids[grid_index][1][1] + 0.001 + (n % 89) / 11000,
            description=f"预置案件 {n}：人行道占道经营",
        )
        if n % 3 == 0:
            testing.drive(case, w, "register", "assign")
    return World(
        tokens=tokens,
        workers=workers,
        password=testing.PASSWORD,
        unit_code=w.unit.code,
        category_code=w.category.code,
        ledger_path=reverse("cases:ledger"),
        login_path=reverse("login"),
        dashboard_path=reverse("reports:dashboard"),
    )


def small_jpeg(seed: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (seed * 37 % 256, 120, 200)).save(out, "JPEG", quality=80)
    return out.getvalue()


# --- the server -------------------------------------------------------------------------


class Server:
    """`civgrid serve` in a process group of its own, so kill -9 reaches the master and all
    its workers at once (as a crash of the machine's service would)."""

    def __init__(self, args: argparse.Namespace, env: dict[str, str], log: Path) -> None:
        self.args, self.env, self.log_path = args, env, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = open(log, "ab")  # noqa: SIM115 (kept open across restarts)

    def start(self) -> float:
        t0 = time.monotonic()
        cmd = [sys.executable, "-m", "civgrid.cli", "serve", "--bind", f"{HOST}:{self.args.port}"]
        cmd += ["--workers", str(self.args.workers), "--access-log", ""]
        self.proc = subprocess.Popen(
            cmd, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = t0 + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(
                    f"civgrid serve exited ({self.proc.returncode}): see {self.log_path}"
                )
            try:
                status, _headers, _data = http_request("GET", "/login/", timeout=5)
                if status == 200:
                    return time.monotonic() - t0
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"civgrid serve did not answer within 120 s: see {self.log_path}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) of every process of the server's group so far: the
        gunicorn master and its workers. What a request costs whatever else the machine runs."""
        if self.proc is None:
            return 0.0
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == self.proc.pid:  # process group id
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        # The workers were in the group too; give the kernel a moment to reap them.
        time.sleep(0.2)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def process_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_cpu(args: argparse.Namespace, seen: dict[int, float]) -> float:
    """PostgreSQL on this machine: CPU seconds so far of the server backends connected to the
    bench's database (the web workers keep theirs, CONN_MAX_AGE), remembered per pid so a
    backend that ended is still counted. 0 for SQLite (its work is inside the web processes)."""
    if args.db != "postgres":
        return 0.0
    import psycopg

    base, name = args.database_url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        pids = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,)
            ).fetchall()
        ]
    for pid in pids:
        seen[pid] = max(seen.get(pid, 0.0), process_cpu_seconds(pid))
    return sum(seen.values())


# --- HTTP -------------------------------------------------------------------------------

PORT = 0  # set by main()


def http_request(
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, (filename, data) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def cookies_of(headers: http.client.HTTPMessage) -> dict[str, str]:
    found = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


# --- the clients ------------------------------------------------------------------------


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[str] = field(default_factory=Counter)  # answers and failed attempts
    retried: int = 0
    unanswered: list[str] = field(default_factory=list)  # given up after --give-up seconds
    refused: list[str] = field(default_factory=list)  # a report answered with a 4xx
    acknowledged: dict[tuple[str, str], int] = field(default_factory=dict)  # (user, key) -> id
    replays: int = 0
    replay_mismatch: list[str] = field(default_factory=list)
    answered: int = 0


@dataclass
class Run:
    args: argparse.Namespace
    world: World
    jpeg: bytes
    stats: Stats = field(default_factory=Stats)
    started: float = 0.0
    finished: threading.Event = field(default_factory=threading.Event)  # every client stopped

    def progress(self) -> float:
        """0 at the start, 1 when no new request should be started."""
        if self.args.requests:
            return self.stats.answered / self.args.requests
        return (time.monotonic() - self.started) / self.args.seconds


class Client:
    def __init__(self, run: Run, username: str, rng: random.Random) -> None:
        self.run, self.username, self.rng = run, username, rng
        self.headers = {"Authorization": f"Token {run.world.tokens[username]}"}

    def send(
        self, kind: str, method: str, path: str, body: bytes | None = None, **headers: str
    ) -> tuple[int, http.client.HTTPMessage, bytes] | None:
        """Send until answered below 500, the same body (key, version) every time; None when
        --give-up seconds pass without an answer."""
        stats = self.run.stats
        first = time.monotonic()
        attempt = 0
        while True:
            t0 = time.monotonic()
            try:
                status, reply_headers, data = http_request(method, path, body, headers)
                label = str(status)
            except (OSError, http.client.HTTPException) as exc:
                status, label = 0, f"no answer ({type(exc).__name__})"
            if 0 < status < 500:
                with stats.lock:
                    stats.latencies[kind].append((time.monotonic() - t0) * 1000)
                    stats.statuses[label] += 1
                    stats.answered += 1
                return status, reply_headers, data
            with stats.lock:
                stats.statuses[label] += 1
                stats.retried += 1
            if time.monotonic() - first > self.run.args.give_up:
                with stats.lock:
                    stats.unanswered.append(f"{kind} {method} {path}: {label}")
                return None
            attempt += 1
            time.sleep(min(2.0, 0.1 * attempt) * (0.5 + self.rng.random()))

    def api(self, kind: str, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        body = json.dumps(payload).encode() if payload is not None else None
        answer = self.send(
            kind, method, path, body, **self.headers, **{"Content-Type": "application/json"}
        )
        if answer is None or answer[0] >= 300:
            return None
        return json.loads(answer[2])

    def step(self) -> None:
        raise NotImplementedError


class GridWorker(Client):
    """Reports cases with a key and a photo; fixes some on the spot; re-sends some on purpose."""

    def __init__(self, run: Run, username: str, rng: random.Random, corner: tuple) -> None:
        super().__init__(run, username, rng)
        self.corner = corner

    def step(self) -> None:
        lon, lat = self.corner
        key = uuid.uuid4().hex
        fields = {
            "source": "patrol",
            "category": self.run.world.category_code,
            "description": f"负载测试：占道经营 {key[:8]}",
            "longitude": f"{lon + 0.001 + self.rng.random() * 0.008:.6f}",
            "latitude": f"{lat + 0.001 + self.rng.random() * 0.008:.6f}",
        }
        files = {"photos": ("problem.jpg", self.run.jpeg)}
        if self.rng.random() < 0.1:
            fields |= {"fixed_on_spot": "true", "fix_note": "现场已劝离"}
            files["fix_photos"] = ("fixed.jpg", self.run.jpeg)
        body, content_type = multipart(fields, files)
        headers = {**self.headers, "Content-Type": content_type, "Idempotency-Key": key}
        stats = self.run.stats
        for again in range(2 if self.rng.random() < 0.1 else 1):
            answer = self.send("report", "POST", "/api/v1/cases/", body, **headers)
            if answer is None:
                return
            status, _headers, data = answer
            if status not in (200, 201):
                with stats.lock:
                    stats.refused.append(f"report {status}: {data[:200]!r}")
                return
            case_id = json.loads(data)["id"]
            with stats.lock:
                seen = stats.acknowledged.setdefault((self.username, key), case_id)
                stats.replays += again
                if seen != case_id or (again and status != 200):
                    stats.replay_mismatch.append(f"{key}: case {seen}, then {case_id} ({status})")


Step = tuple[str, str, dict[str, Any]]


class Staff(Client):
    """Takes the next workflow step on a case picked from the API list, with the version read;
    409 (stale, illegal transition) is the expected answer when two act at once."""

    steps: list[Step] = []
    with_photo: frozenset[str] = frozenset()

    def step(self) -> None:
        for status, action, params in self.rng.sample(self.steps, len(self.steps)):
            page = self.api("list", "GET", "/api/v1/cases/?" + urlencode({"status": status}))
            if not page or not page["results"]:
                continue
            case = self.rng.choice(page["results"][:20])
            path = f"/api/v1/cases/{case['id']}/actions/{action}/"
            payload = {"version": case["version"], **params}
            if action in self.with_photo:
                body, content_type = multipart(
                    {k: str(v) for k, v in payload.items()},
                    {"photos": ("evidence.jpg", self.run.jpeg)},
                )
                self.send(
                    "action", "POST", path, body, **self.headers, **{"Content-Type": content_type}
                )
            else:
                self.api("action", "POST", path, payload)
            return


class Office(Staff):
    def __init__(self, run: Run, username: str, rng: random.Random) -> None:
        super().__init__(run, username, rng)
        self.steps = [
            ("reported", "register", {"note": "立案"}),
            ("registered,returned", "assign", {"unit": run.world.unit_code}),
            ("submitted", "verify_pass", {"note": "核查通过"}),
            ("submitted", "verify_fail", {"reason": "仍有摊位"}),
        ]


class Clerk(Staff):
    steps = [
        ("assigned", "accept", {"note": "已签收"}),
        ("in_progress,rework", "submit", {"note": "已清理摊位"}),
    ]
    with_photo = frozenset({"submit"})


class Reader(Client):
    """Reads the ledger page (logged in through the login form, a session cookie) and the API
    list of cases; with `only`, just the ledger page or just the dashboard."""

    def __init__(self, run: Run, username: str, rng: random.Random, only: str = "") -> None:
        super().__init__(run, username, rng)
        self.session: dict[str, str] = {}
        self.only = only

    def login(self) -> bool:
        login = self.run.world.login_path
        answer = self.send("login", "GET", login)
        if answer is None:
            return False
        form = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', answer[2])
        cookies = cookies_of(answer[1])
        body = urlencode(
            {
                "username": self.username,
                "password": self.run.world.password,
                "csrfmiddlewaretoken": form.group(1).decode() if form else "",
            }
        ).encode()
        answer = self.send(
            "login",
            "POST",
            login,
            body,
            **{
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            },
        )
        if answer is None or answer[0] != 302:
            return False
        self.session = cookies | cookies_of(answer[1])
        return "sessionid" in self.session

    def step(self) -> None:
        if not self.session and not self.login():
            raise SystemExit(
                f"{self.username} could not log in through {self.run.world.login_path}"
            )
        if not self.only and self.rng.random() < 0.5:
            self.api("list", "GET", "/api/v1/cases/")
            return
        kind = self.only or "ledger"
        path = self.run.world.dashboard_path if kind == "dashboard" else self.run.world.ledger_path
        cookie = "; ".join(f"{k}={v}" for k, v in self.session.items())
        answer = self.send(kind, "GET", path, Cookie=cookie)
        if answer is not None and answer[0] != 200:
            with self.run.stats.lock:
                self.run.stats.refused.append(f"{kind} page {answer[0]}")


def make_clients(run: Run, rng: random.Random) -> list[Client]:
    """Half grid workers reporting, then office and inspector, the clerk, readers in turn
    (--mix mixed); or only grid workers, only ledger readers, only dashboard readers."""
    clients: list[Client] = []
    workers = iter(run.world.workers * run.args.clients)
    mix = run.args.mix
    if mix == "intake":
        for _ in range(run.args.clients):
            name, corner = next(workers)
            clients.append(GridWorker(run, name, random.Random(rng.random()), corner))
        return clients
    if mix in ("ledger", "dashboard"):
        return [
            Reader(run, "office", random.Random(rng.random()), only=mix)
            for _ in range(run.args.clients)
        ]
    others: list[Callable[[], Client]] = [
        lambda: Office(run, "office", random.Random(rng.random())),
        lambda: Clerk(run, "clerk", random.Random(rng.random())),
        lambda: Reader(run, "office", random.Random(rng.random())),
        lambda: Office(run, "inspector", random.Random(rng.random())),
        lambda: Reader(run, "worker_a", random.Random(rng.random())),
    ]
    for i in range(run.args.clients):
        if i % 2 == 0:
            name, corner = next(workers)
            clients.append(GridWorker(run, name, random.Random(rng.random()), corner))
        else:
            clients.append(others[(i // 2) % len(others)]())
    return clients


def client_loop(run: Run, client: Client, errors: list[str]) -> None:
    try:
        while run.progress() < 1:
            client.step()
    except Exception as exc:  # a bug in the bench itself: report it, never hang
        errors.append(f"{type(client).__name__} {client.username}: {exc!r}")


def killer(run: Run, server: Server, rng: random.Random, log: list[str]) -> None:
    """kill -9 the server group at K random moments of the run and start it again."""
    moments = sorted(rng.uniform(0.1, 0.85) for _ in range(run.args.kills))
    for n, moment in enumerate(moments, 1):
        while run.progress() < moment:
            if run.finished.wait(0.05):
                return
        at = time.monotonic() - run.started
        server.kill9()
        time.sleep(rng.uniform(0.0, 1.0))
        took = server.start()
        log.append(f"kill -9 #{n} at {at:.1f} s: serving again {took:.1f} s later (restart)")


# --- the invariants ---------------------------------------------------------------------


def check_invariants(run: Run, media_root: Path) -> list[tuple[bool, str]]:
    from django.apps import apps
    from django.db import models
    from django.db.models import Count, F

    from civgrid.cases.models import Case, CaseEvent, CasePhoto
    from civgrid.cases.workflow import TRANSITIONS, Status

    stats = run.stats
    results: list[tuple[bool, str]] = []
    loaders = [u for u, _corner in run.world.workers]
    reported = dict(
        Case.objects.filter(created_by__username__in=loaders)
        .exclude(description__startswith="预置案件")  # --preload's, reported before the run
        .values_list("id", "client_key")
    )
    acknowledged = set(stats.acknowledged.values())
    results.append(
        (
            set(reported) == acknowledged and len(acknowledged) == len(stats.acknowledged),
            f"reported cases == acknowledged keys ({len(reported)} cases, "
            f"{len(stats.acknowledged)} keys, {len(acknowledged)} distinct cases acknowledged; "
            f"not acknowledged: {len(set(reported) - acknowledged)}, "
            f"acknowledged but missing: {len(acknowledged - set(reported))})",
        )
    )
    keys = Counter(k for k in reported.values())
    duplicates = sum(n - 1 for n in keys.values() if n > 1) + len(stats.replay_mismatch)
    results.append(
        (
            duplicates == 0 and None not in keys,
            f"no duplicates: one case a key ({stats.replays} deliberate re-sends and every "
            f"retry answered with the first case; mismatches: {stats.replay_mismatch[:3]})",
        )
    )
    off = list(
        Case.objects.annotate(n=Count("events"))
        .exclude(version=F("n"))
        .values_list("id", "version", "n")[:5]
    )
    results.append(
        (not off, f"version == number of events for all {Case.objects.count()} cases {off or ''}")
    )

    bad_chains: list[str] = []
    status_of = dict(Case.objects.values_list("id", "status"))
    state: dict[int, str | None] = {}
    n_events = 0
    for case_id, action, from_status, to_status in CaseEvent.objects.order_by(
        "case_id", "created_at", "id"
    ).values_list("case_id", "action", "from_status", "to_status"):
        n_events += 1
        now = state.get(case_id)
        if action == "report":
            ok, after = now is None and to_status == Status.REPORTED, to_status
        elif action in TRANSITIONS:
            t = TRANSITIONS[action]
            after = t.target or now
            ok = now in t.sources and from_status == now and to_status == after
        else:
            ok, after = False, to_status
        if not ok:
            bad_chains.append(f"case {case_id}: {action} {from_status}->{to_status} from {now}")
        state[case_id] = after
    ends = [c for c, s in status_of.items() if state.get(c) != s]
    results.append(
        (
            not bad_chains and not ends,
            f"every event chain replays through TRANSITIONS to its case's status ({n_events} "
            f"events; bad steps {len(bad_chains)} {bad_chains[:3]}, wrong end {len(ends)})",
        )
    )
    no_photo = (
        Case.objects.filter(id__in=acknowledged)
        .annotate(n=Count("photos", filter=models.Q(photos__kind=CasePhoto.Kind.REPORT)))
        .exclude(n=1)
        .count()
    )
    results.append(
        (no_photo == 0, f"each reported case has its one problem photo ({no_photo} without)")
    )

    # A kill -9 mid-transaction may leave a photo file that no row names (files are written
    # before their rows, so a row never lacks its file); the daily `civgrid sweep-media` removes
    # them. The server is stopped, so no transaction is open: sweep at once, then count.
    from django.utils import timezone

    from civgrid.cases.photos import sweep_media

    swept = sweep_media(now=timezone.now(), min_age=dt.timedelta(0), dry_run=False)
    referenced: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                referenced |= {
                    n for n in model._default_manager.values_list(f.attname, flat=True) if n
                }
    on_disk = (
        {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}
        if media_root.exists()
        else set()
    )
    orphans, missing = on_disk - referenced, referenced - on_disk
    results.append(
        (
            not orphans and not missing,
            f"file rows == files under MEDIA_ROOT ({len(referenced)} rows, "
            f"{CasePhoto.objects.count()} of them case photos; {len(on_disk)} files; "
            f"files without a row {len(orphans)}, rows without a file {len(missing)}; "
            f"orphans of killed transactions swept first: {len(swept)})",
        )
    )
    return results


# --- main -------------------------------------------------------------------------------


def server_errors(log: Path) -> Counter[str]:
    """The exception ending each traceback Django logged for a 5xx ("Internal Server Error")."""
    causes: Counter[str] = Counter()
    last = None  # the last exception line of the current traceback (chained ones come first)
    for line in [*log.read_text(errors="replace").splitlines(), "Internal Server Error"]:
        if line.startswith("Internal Server Error"):
            if last:
                causes[last] += 1
            last = ""
        elif last is not None and re.match(r"^[\w.]+(Error|Exception): ", line):
            name, _, message = line.partition(": ")
            last = f"{name.rsplit('.', 1)[-1]}: {message[:100]}"
    return causes


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    global PORT
    args = parse_args()
    PORT = args.port
    rng = random.Random(args.seed)
    database_url = fresh_database(args)
    env = server_env(args, database_url)
    os.environ.update(env)

    t0 = time.monotonic()
    prepare = subprocess.run(
        [sys.executable, "-m", "civgrid.cli", "serve", "--migrate", "--prepare-only"],
        env=env,
        capture_output=True,
        text=True,
    )
    if prepare.returncode:
        print(prepare.stdout, prepare.stderr, file=sys.stderr)
        return 2
    prepare_s = time.monotonic() - t0

    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    t0 = time.monotonic()
    world = build(n_workers=max(2, (args.clients + 1) // 2), preload=args.preload)
    connections.close_all()  # SQLite: this process holds no lock while the server runs
    print(
        f"bench/load.py: {args.db}, --mix {args.mix}, gunicorn with {args.workers} workers, "
        f"{args.clients} clients, {args.preload} cases preloaded, "
        + (f"{args.requests} requests" if args.requests else f"{args.seconds:g} s")
        + f", {args.kills} kill(s) -9"
    )
    print(
        f"prepare (migrate, collectstatic): {prepare_s:.1f} s; world: {time.monotonic() - t0:.1f} s"
    )

    server = Server(args, env, Path(args.var_dir) / "server.log")
    print(f"server up in {server.start():.1f} s (log: {server.log_path})")
    run = Run(args=args, world=world, jpeg=small_jpeg(args.seed))
    clients = make_clients(run, rng)
    errors: list[str] = []
    kill_log: list[str] = []
    if args.mix in ("ledger", "dashboard"):
        # Log in before counting: a login (PBKDF2, on purpose slow) is not a page view.
        for client in clients:
            if isinstance(client, Reader) and not client.login():
                raise SystemExit(f"{client.username} could not log in")
        run.stats = Stats()
    load_before = os.getloadavg()[0]
    cpu_before = server.cpu_seconds()
    db_seen: dict[int, float] = {}
    db_before = database_cpu(args, db_seen)
    run.started = time.monotonic()
    threads = [threading.Thread(target=client_loop, args=(run, c, errors)) for c in clients]
    kill_thread = threading.Thread(target=killer, args=(run, server, rng, kill_log))
    for t in [*threads, kill_thread]:
        t.start()
    for t in threads:
        t.join()
    run.finished.set()
    kill_thread.join()
    wall = time.monotonic() - run.started
    cpu_used = server.cpu_seconds() - cpu_before
    db_used = database_cpu(args, db_seen) - db_before
    load_after = os.getloadavg()[0]
    server.stop()

    stats = run.stats
    for line in kill_log:
        print(line)
    print(f"load average (1 min): {load_before:.1f} at the start, {load_after:.1f} at the end")
    print(
        f"\nanswered {stats.answered:,} requests in {wall:.1f} s: {stats.answered / wall:.1f} per second"
    )
    if stats.answered and cpu_used > 0 and not args.kills:
        print(
            f"per web process: {stats.answered / wall / args.workers:.1f} requests/s; "
            f"web CPU {cpu_used:.1f} s = {cpu_used * 1000 / stats.answered:.1f} ms a request "
            f"= {stats.answered / cpu_used:.1f} requests/s per core of web processes"
        )
        if args.db == "postgres":
            print(
                f"PostgreSQL CPU (backends of this database) {db_used:.1f} s = "
                f"{db_used * 1000 / stats.answered:.1f} ms a request"
            )
    print(f"{'request':10} {'n':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    everything: list[float] = []
    for kind in sorted(stats.latencies):
        values = stats.latencies[kind]
        everything += values
        print(
            f"{kind:10} {len(values):7,} {percentile(values, 50):8.0f} "
            f"{percentile(values, 95):8.0f} {percentile(values, 99):8.0f}"
        )
    if everything:
        print(
            f"{'all':10} {len(everything):7,} {percentile(everything, 50):8.0f} "
            f"{percentile(everything, 95):8.0f} {percentile(everything, 99):8.0f}"
        )
    print("by status: " + ", ".join(f"{k} {v:,}" for k, v in sorted(stats.statuses.items())))
    print(f"attempts retried: {stats.retried:,}; given up: {len(stats.unanswered)}")
    causes = server_errors(server.log_path)
    if causes:
        print(
            "server errors (5xx) by cause, from the log: "
            + "; ".join(f"{cause} ×{n}" for cause, n in causes.most_common(5))
        )
    for line in (stats.unanswered + stats.refused + errors)[:10]:
        print("  !!", line)

    connections.close_all()
    results = check_invariants(run, Path(settings.MEDIA_ROOT))
    results.append(
        (not stats.unanswered, f"every request answered in the end ({len(stats.unanswered)} not)")
    )
    results.append(
        (
            not errors and not stats.refused,
            f"no refused report, no client error ({len(stats.refused) + len(errors)})",
        )
    )
    print("\ninvariants:")
    for ok, text in results:
        print(f"  {'ok  ' if ok else 'FAIL'} {text}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
