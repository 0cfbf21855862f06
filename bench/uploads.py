"""Benchmark: what the outside tester's uploads cost — photos and spreadsheet bombs.

    .venv/bin/python bench/uploads.py [--only NAME]

Each case runs in a fresh Python process (so one case's memory does not hide another's) and
prints: the outcome, CPU seconds (user + system, resource.getrusage), the growth of the
process's peak resident memory during the case (VmHWM, reset before the case; it also sees
Pillow's and lxml's C allocations) and the peak of Python allocations (tracemalloc, in a second run). The inputs
are written to a temporary folder first, outside the measured process. No database.

To measure the code before a change, run the same script with that code first on the path:
`git archive <commit> civgrid | tar -x -C /tmp/before && PYTHONPATH=/tmp/before .venv/bin/python
bench/uploads.py`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

MB = 1024 * 1024
CASES = {
    "photo-200mb": "one 200 MB upload given to the photo intake",
    "body-200mb": "a 200 MB request body declared to the API",
    "nine-6300px-pngs": "nine 6300×6300 PNGs (116 KB each) in one report",
    "shared-string-300mb": "a 307 KB workbook holding a 300 MB shared string",
    "blank-rows-100k": "a workbook of 100,000 blank rows over a declared A1:XFD dimension",
}


def prepare(folder: Path) -> None:
    from PIL import Image

    from civgrid.lib.tests.bombs import blank_rows, huge_shared_string

    with open(folder / "big.jpg", "wb") as f:  # written in chunks: the parent stays small
        f.write(b"\xff\xd8\xff\xe0")
        for _ in range(200):
            f.write(os.urandom(MB))
    out = io.BytesIO()
    Image.new("RGB", (6300, 6300), "white").save(out, "PNG")
    (folder / "6300.png").write_bytes(out.getvalue())
    (folder / "shared-string.xlsx").write_bytes(huge_shared_string(300 * MB))
    (folder / "blank-rows.xlsx").write_bytes(blank_rows(100_000))


def run_case(name: str, folder: Path) -> str:
    """Runs in the child; returns the outcome in a few words."""
    if name == "photo-200mb":
        from django.core.files.uploadedfile import TemporaryUploadedFile

        from civgrid.cases.photos import PhotoRefused, clean_uploads

        upload = TemporaryUploadedFile("big.jpg", "image/jpeg", 0, None)
        upload.file.close()
        upload.file = open(folder / "big.jpg", "rb")  # noqa: SIM115 (closed with the upload)
        upload.size = (folder / "big.jpg").stat().st_size
        try:
            clean_uploads([upload])
            return "accepted"
        except PhotoRefused as exc:
            return f"refused: {exc}"
    if name == "body-200mb":
        from django.test import Client

        class Body(io.RawIOBase):  # streams the file, as a web server hands it over
            def __init__(self) -> None:
                self.f = open(folder / "big.jpg", "rb")  # noqa: SIM115

            def read(self, n: int = -1) -> bytes:
                return self.f.read(n)

        response = Client().generic(
            "POST",
            "/api/v1/cases/",
            b"",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str((folder / "big.jpg").stat().st_size),
            **{"wsgi.input": Body()},
        )
        return f"HTTP {response.status_code} {response.get('Content-Type', '')}"
    if name == "nine-6300px-pngs":
        from django.core.files.uploadedfile import SimpleUploadedFile

        from civgrid.cases.photos import PhotoRefused, clean_uploads

        data = (folder / "6300.png").read_bytes()
        photos = [SimpleUploadedFile(f"{i}.png", data, "image/png") for i in range(9)]
        try:
            return f"accepted {len(clean_uploads(photos))}"
        except PhotoRefused as exc:
            return f"refused: {exc}"
    if name in ("shared-string-300mb", "blank-rows-100k"):
        from civgrid.lib.importing import open_workbook, read_table
        from civgrid.visits.imports import COLUMNS, MAX_ROWS, REQUIRED

        file = "shared-string.xlsx" if name.startswith("shared") else "blank-rows.xlsx"
        try:
            workbook = open_workbook((folder / file).read_bytes())
        except ValueError as exc:
            return f"refused: {exc}"
        if workbook is None:
            return "refused: not a workbook"
        problems: list[Any] = []
        rows = read_table(
            workbook.worksheets[0],
            COLUMNS,
            REQUIRED,
            lambda *p: problems.append(p),
            max_rows=MAX_ROWS,
        )
        errors = [p[2] for p in problems if p[3] == "error"]
        return f"read {len(rows)} rows" + (f"; refused: {errors[0]}" if errors else "")
    raise SystemExit(f"unknown case {name}")


def _status(field: str) -> int:
    """A memory figure of this process in bytes, from /proc/self/status (ru_maxrss would carry
    the parent's peak across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def child(name: str, folder: Path, trace: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civgrid.settings")
    os.environ.setdefault("CIVGRID_VAR_DIR", str(folder / "var"))
    import django

    django.setup()
    import openpyxl  # noqa: F401  (imports outside the measure)
    from django.utils import translation

    import civgrid.cases.photos  # noqa: F401
    import civgrid.lib.importing  # noqa: F401
    import civgrid.visits.imports  # noqa: F401

    translation.activate("en")
    before = resource.getrusage(resource.RUSAGE_SELF)
    rss_before = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) restarts from here
    if trace:
        tracemalloc.start()
    wall = time.perf_counter()
    outcome = run_case(name, folder)
    wall = time.perf_counter() - wall
    py_peak = tracemalloc.get_traced_memory()[1] if trace else 0
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    growth = max(_status("VmHWM") - rss_before, 0)
    print(json.dumps({"outcome": outcome, "cpu": cpu, "wall": wall, "rss": growth, "py": py_peak}))


def measure(name: str, folder: Path, trace: bool) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", name, "--dir", str(folder)]
    if trace:
        cmd.append("--trace")
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=list(CASES))
    parser.add_argument("--child")
    parser.add_argument("--dir")
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.dir), args.trace)
        return

    import civgrid

    print(f"civgrid from {Path(civgrid.__file__).parent}")
    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as tmp:
        folder = Path(tmp)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civgrid.settings")
        os.environ.setdefault("CIVGRID_VAR_DIR", str(folder / "var"))
        prepare(folder)
        for file in sorted(folder.glob("*.*")):
            print(f"input {file.name}: {file.stat().st_size / 1024:,.0f} KB")
        print(
            f"{'case':22} {'CPU s':>7} {'wall s':>7} {'peak RSS +MB':>13} {'Python peak MB':>15}  outcome"
        )
        for name in [args.only] if args.only else list(CASES):
            plain = measure(name, folder, trace=False)
            traced = measure(name, folder, trace=True)
            print(
                f"{name:22} {plain['cpu']:7.2f} {plain['wall']:7.2f} {plain['rss'] / MB:13.1f}"
                f" {traced['py'] / MB:15.1f}  {plain['outcome'][:110]}"
            )
        print("\n".join(f"  {name}: {text}" for name, text in CASES.items()))


if __name__ == "__main__":
    main()
