"""`python -m civgrid.supervise` (what `make demo` runs): one command ending, or Ctrl-C, stops
every other one, process group and all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SLEEPER = 'shell -c \'import os, time; open(os.environ["PIDFILE"], "w").write(str(os.getpid())); time.sleep(120)\''


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(path: Path) -> int:
    while not path.exists() or not path.read_text():
        time.sleep(0.05)
    return int(path.read_text())


def test_one_command_exiting_stops_the_others_and_its_code_is_returned(tmp_path):
    env = {**os.environ, "PIDFILE": str(tmp_path / "sleeper.pid"), "CIVGRID_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "civgrid.supervise",
            SLEEPER,
            "shell -c 'import time, sys; time.sleep(3); sys.exit(3)'",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 3
    assert not alive(wait_for(tmp_path / "sleeper.pid"))


def test_ctrl_c_stops_every_command(tmp_path):
    env = {**os.environ, "PIDFILE": str(tmp_path / "sleeper.pid"), "CIVGRID_VAR_DIR": str(tmp_path)}
    supervisor = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "civgrid.supervise",
            SLEEPER,
            SLEEPER.replace("PIDFILE", "PIDFILE2"),
        ],
        cwd=ROOT,
        env={**env, "PIDFILE2": str(tmp_path / "second.pid")},
    )
    pids = [wait_for(tmp_path / "sleeper.pid"), wait_for(tmp_path / "second.pid")]
    supervisor.send_signal(signal.SIGINT)
    assert supervisor.wait(timeout=30) == 0
    assert [alive(pid) for pid in pids] == [False, False]
