import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "district.py"


def test_the_district_benchmark_runs_on_a_tiny_ledger_and_prints_ratios(tmp_path):
    """A smoke test of bench/district.py: it builds, times and prints; no timing is asserted."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["CIVGRID_VAR_DIR"] = str(tmp_path / "var")
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--cases",
            "600",
            "--repeat",
            "1",
            "--export-rows",
            "200",
            "--database-url",
            f"sqlite:///{tmp_path / 'district.sqlite3'}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "600 cases" in out
    assert "ratio" in out
    lines = [line for line in out.splitlines() if line.startswith("compute month by unit")]
    assert len(lines) == 1 and lines[0].split()[-1] == "yes"  # the SQL counts what the ORM counts
    assert "ledger Excel, 200 rows" in out and "bulletin (Word)" in out
