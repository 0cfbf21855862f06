"""Pure helpers for GPS tracks: great-circle distance and track length."""

from __future__ import annotations

import math
from collections.abc import Iterable

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def track_length(points: Iterable[tuple[float, float]]) -> float:
    """Length in metres of a track of (longitude, latitude) points, in their order."""
    total = 0.0
    previous: tuple[float, float] | None = None
    for point in points:
        if previous is not None:
            total += haversine_m(previous[0], previous[1], point[0], point[1])
        previous = point
    return total
