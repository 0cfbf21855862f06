"""What grading costs: the 五星级党支部 rule (built from the shipped data, no database) grading
random score sheets, then the quota check over a cycle of that many files.

    .venv/bin/python bench/appraisals.py --files 100000

A district's cycle has tens of files (41 in the source), so grading is never the slow part of
acceptance; the figure says how much room there is for the bigger schemes to come (households).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civgrid.settings")

import django  # noqa: E402

django.setup()

from civgrid.appraisals import grading  # noqa: E402
from civgrid.appraisals.data import five_star_branch as data  # noqa: E402


def five_star_rule() -> grading.Rule:
    dimensions = []
    for code, name, mark in data.STARS:
        points = tuple(
            grading.PointSpec(p_code, Decimal(points), p_code in data.VETO)
            for star, _c, _cn, p_code, _t, points, _e, _k in data.POINTS
            if star == code
        )
        dimensions.append(grading.DimensionSpec(code, name, points, Decimal(mark)))
    return grading.Rule(grading.STARS, tuple(dimensions), quota=grading.Quota(5, Decimal(10)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=100_000)
    args = parser.parse_args()
    rule = five_star_rule()
    rng = random.Random(1)
    specs = list(rule.points.values())
    sheets = [
        {
            p.code: (p.max_points * Decimal(rng.randint(60, 100)) / 100).quantize(Decimal("0.5"))
            for p in specs
        }
        for _ in range(args.files)
    ]
    start = time.perf_counter()
    checked = sum(1 for s in sheets if not grading.check_scores(rule, s))
    check_s = time.perf_counter() - start
    start = time.perf_counter()
    ranks = {str(i): grading.grade(rule, s).rank for i, s in enumerate(sheets)}
    grade_s = time.perf_counter() - start
    start = time.perf_counter()
    quota = grading.check_quota(rule, ranks)
    quota_s = time.perf_counter() - start
    assert quota is not None
    print(
        f"files: {args.files:,} ({len(specs)} scoring points each), all valid: {checked == args.files}"
    )
    print(f"check_scores: {check_s:.2f} s ({args.files / check_s:,.0f} sheets/s)")
    print(f"grade:        {grade_s:.2f} s ({args.files / grade_s:,.0f} sheets/s)")
    print(
        f"check_quota:  {quota_s * 1000:.1f} ms (limit {quota.limit:,}, reached {quota.reached:,})"
    )


if __name__ == "__main__":
    main()
