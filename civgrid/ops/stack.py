"""The multi-process deployment without containers: what compose.yaml runs, as processes.

    make stack                      # or: python -m civgrid.ops.stack
    python -m civgrid.ops.stack --ports 8101,8102 --web-workers 2

Two web processes (`civgrid serve`, each a gunicorn master with its workers, on two ports a
reverse proxy balances), one task worker and one scheduler, all on the PostgreSQL database of
DATABASE_URL and the Redis of CIVGRID_REDIS_URL (cache, and the RQ queue with
CIVGRID_TASKS=rq). The database is migrated and the static files collected once, before any
process starts, so the two web processes never race for either. Ctrl-C stops them all; one of
them exiting stops the rest (civgrid.supervise).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from civgrid.supervise import supervise

DEFAULT_PORTS = "8101,8102"


def commands(
    *, ports: list[int], host: str, web_workers: int, tasks: str, timeout: int = 60
) -> list[str]:
    """The processes of the stack, as `civgrid` command lines."""
    web = [
        f"serve --bind {host}:{port} --workers {web_workers} --timeout {timeout} --access-log ''"
        for port in ports
    ]
    if tasks == "rq":
        worker = "rqworker --job-class django_tasks_rq.Job --with-scheduler default"
    else:
        worker = "db_worker --no-reload"
    return [*web, worker, "scheduler"]


def check_environment(env: dict[str, str]) -> list[str]:
    problems = []
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        problems.append("DATABASE_URL must name a PostgreSQL database (postgres://…)")
    if not env.get("CIVGRID_REDIS_URL", "").startswith("redis"):
        problems.append("CIVGRID_REDIS_URL must name a Redis server (redis://127.0.0.1:6379/0)")
    if not env.get("CIVGRID_SECRET_KEY"):
        problems.append("CIVGRID_SECRET_KEY must be set (a long random value)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ports", default=os.environ.get("CIVGRID_STACK_PORTS", DEFAULT_PORTS))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per web")
    args = parser.parse_args(argv)
    problems = check_environment(dict(os.environ))
    if problems:
        print("civgrid stack: " + "; ".join(problems), file=sys.stderr)
        return 2
    # Once, before the web processes: migrations and the static files' manifest.
    prepare = subprocess.run(
        [sys.executable, "-m", "civgrid.cli", "serve", "--migrate", "--prepare-only"]
    )
    if prepare.returncode:
        return prepare.returncode
    ports = [int(p) for p in args.ports.split(",") if p.strip()]
    tasks = os.environ.get("CIVGRID_TASKS", "db")
    lines = commands(ports=ports, host=args.host, web_workers=args.web_workers, tasks=tasks)
    print("civgrid stack: " + " | ".join(lines), flush=True)
    return supervise(lines)


if __name__ == "__main__":
    sys.exit(main())
