"""Benchmark: locating GPS points in grids, STRtree index vs. a loop over every polygon.

    .venv/bin/python bench/locate.py [--grids 326] [--points 20000]

Prints build time, points per second for both methods and their agreement. No database.
"""

from __future__ import annotations

import argparse
import random
import time

import shapely
from shapely.geometry import MultiPoint, Point, box

from civgrid.lib.geometry import GridLocator


def voronoi_grids(n: int, seed: int) -> list:
    rng = random.Random(seed)
    area = box(114.63, 33.61, 114.68, 33.65)
    seeds = MultiPoint([(rng.uniform(114.63, 114.68), rng.uniform(33.61, 33.65)) for _ in range(n)])
    cells = shapely.voronoi_polygons(seeds, extend_to=area)
    return [c.intersection(area) for c in cells.geoms]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grids", type=int, default=326)
    parser.add_argument("--points", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    polygons = voronoi_grids(args.grids, args.seed)
    rng = random.Random(args.seed + 1)
    points = [(rng.uniform(114.62, 114.69), rng.uniform(33.60, 33.66)) for _ in range(args.points)]

    t0 = time.perf_counter()
    locator = GridLocator.build(list(enumerate(polygons)))
    build_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    indexed = [locator.locate(lon, lat) for lon, lat in points]
    indexed_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    looped = []
    for lon, lat in points:
        p = Point(lon, lat)
        looped.append(next((i for i, poly in enumerate(polygons) if poly.intersects(p)), None))
    loop_s = time.perf_counter() - t0

    agree = sum(a == b for a, b in zip(indexed, looped, strict=True))
    print(f"grids={len(polygons)} points={len(points)}")
    print(f"build STRtree: {build_s * 1000:.1f} ms")
    print(
        f"STRtree locate: {len(points) / indexed_s:,.0f} points/s ({indexed_s * 1e6 / len(points):.1f} µs each)"
    )
    print(
        f"loop locate:    {len(points) / loop_s:,.0f} points/s ({loop_s * 1e6 / len(points):.1f} µs each)"
    )
    print(f"speed-up: {loop_s / indexed_s:.1f}x; agreement {agree}/{len(points)}")


if __name__ == "__main__":
    main()
