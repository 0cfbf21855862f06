"""Run several `civgrid` commands side by side, and stop them together.

    python -m civgrid.supervise "runserver 127.0.0.1:8000" "db_worker" "scheduler"

What `make demo` uses so the demo has its web server, task worker and scheduler from one
command: each command runs as `python -m civgrid.cli <command>` in its own process group; Ctrl-C
(SIGINT) or SIGTERM to this process, or any one of them exiting, stops all the others (SIGTERM
to their group, then SIGKILL after a grace period). Production runs each under systemd instead
(docs/operations.md, "Background work").
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from types import FrameType

GRACE_SECONDS = 10.0


def start(commands: list[str]) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [sys.executable, "-m", "civgrid.cli", *shlex.split(command)], start_new_session=True
        )
        for command in commands
    ]


def stop(processes: list[subprocess.Popen[bytes]], grace: float = GRACE_SECONDS) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def supervise(commands: list[str], poll: float = 0.5) -> int:
    """Run until one command exits or we are told to stop; returns the first exit code."""
    stopping = False

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    processes = start(commands)
    code = 0
    try:
        while not stopping:
            ended = [n for n, p in enumerate(processes) if p.poll() is not None]
            if ended:
                code = processes[ended[0]].returncode
                print(
                    f"civgrid.supervise: {commands[ended[0]]!r} exited ({code}); stopping the rest"
                )
                break
            time.sleep(poll)
    finally:
        stop(processes)
    return code


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(supervise(sys.argv[1:]))
