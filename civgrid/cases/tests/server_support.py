"""A real server in its own process, on the test database's data, for tests of concurrency.

The suite's default database is SQLite in memory, which Django shares as one connection
between threads: a threaded test server in this process would never see two writers at
once. So `running_server` starts `civgrid runserver` (threaded, as `make demo` runs it) in a
separate process with the production settings, pointed at

- on SQLite, a temporary file holding a copy of the test database (schema and the rows the
  test made), copied back into the test database when the server has stopped, so the test
  reads the outcome through the ORM as usual;
- on PostgreSQL, the test database itself (the test must be `transaction=True` so that the
  server sees its rows).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, urlencode

from django.db import connection

PORTS = range(18100, 18200)  # this project's engineer 1 range (see the brief)
START_ATTEMPTS = 240  # × 0.25 s: runserver's checks take a few seconds on a busy machine


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18100-18199")


def _database_url(tmp: Path) -> str:
    if connection.vendor == "sqlite":
        path = tmp / "civgrid.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _copy_back(url: str) -> None:
    if connection.vendor == "sqlite":
        source = sqlite3.connect(url.removeprefix("sqlite:///"))
        source.backup(connection.connection)
        source.close()


def _wait_until_listening(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    for _attempt in range(START_ATTEMPTS):
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped at start:\n{log.read_text()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.25)
    raise RuntimeError(f"the server did not start:\n{log.read_text()}")


class Server(NamedTuple):
    host: str  # "127.0.0.1:<port>"
    sqlite_path: Path | None  # the server's database file, on SQLite


class Reply(NamedTuple):
    status: int
    data: dict[str, Any]  # the JSON body, or {}
    headers: dict[str, str]
    text: str


@contextlib.contextmanager
def running_server(tmp: Path, **env: str) -> Iterator[Server]:
    """Run `civgrid runserver` on the test database's data (`env`: more settings)."""
    url = _database_url(tmp)
    port = _free_port()
    log = tmp / "server.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civgrid.settings",
        "DATABASE_URL": url,
        "CIVGRID_VAR_DIR": str(tmp),
        "CIVGRID_DEBUG": "1",
        **env,
    }
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "civgrid.cli", "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_listening(server, port, log)
        sqlite_path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite") else None
        yield Server(f"127.0.0.1:{port}", sqlite_path)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    _copy_back(url)


def call(
    host: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: dict[str, Any] | None = None,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """One HTTP request on a fresh connection: `body` is sent as JSON, `form` as a form."""
    conn = http.client.HTTPConnection(host, timeout=120)
    sent = {"Accept": "application/json", "Accept-Language": "en", **(headers or {})}
    if token:
        sent["Authorization"] = f"Token {token}"
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    elif form is not None:
        payload = urlencode(form).encode()
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=payload, headers=sent)
        response = conn.getresponse()
        raw = response.read()
        received = {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()
    text = raw.decode(errors="replace")
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return Reply(response.status, data if isinstance(data, dict) else {}, received, text)
