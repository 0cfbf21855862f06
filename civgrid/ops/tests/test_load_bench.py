import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "load.py"


def test_the_load_benchmark_serves_a_short_run_and_its_invariants_hold(tmp_path):
    """A smoke test of bench/load.py without kills: gunicorn starts, the clients report, act
    and read, every invariant is checked and printed. No time is asserted."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CIVGRID_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--db",
            "sqlite",
            "--workers",
            "2",
            "--clients",
            "4",
            "--requests",
            "40",
            "--port",
            "18290",
            "--var-dir",
            str(tmp_path / "var"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "p95 ms" in out and "report" in out and "by status:" in out
    assert "FAIL" not in out and out.count("  ok   ") >= 7
