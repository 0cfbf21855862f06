"""Reading the territory: the grid that contains a point, grids under a region."""

from __future__ import annotations

import threading

from django.db.models import Count, Max, QuerySet
from shapely.geometry import Point

from civgrid.lib.geometry import GeometryError, GridLocator, parse_polygon
from civgrid.territory.models import Region, Site

_lock = threading.Lock()
_cache: dict[str, object] = {}


def grids() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.GRID)


def get_locator() -> GridLocator:
    """The spatial index over all grid polygons, rebuilt only when a grid changed.

    The stamp (count, last update) costs one aggregate query; building the STRtree for the
    demo's 326 grids takes milliseconds, so a per-process cache is enough.
    """
    stamp = grids().exclude(geometry=None).aggregate(n=Count("id"), last=Max("updated_at"))
    key = (stamp["n"], stamp["last"])
    with _lock:
        if _cache.get("key") == key:
            return _cache["locator"]  # type: ignore[return-value]
        items = []
        for pk, geometry in grids().exclude(geometry=None).values_list("id", "geometry"):
            try:
                items.append((pk, parse_polygon(geometry or {})))
            except GeometryError:
                continue  # a broken polygon is reported by the import, not here
        locator = GridLocator.build(items)
        _cache.update(key=key, locator=locator)
        return locator


def locate_grid(longitude: float, latitude: float) -> Region | None:
    """The grid containing the point, or None when it is outside every grid."""
    pk = get_locator().locate(longitude, latitude)
    return Region.objects.get(pk=pk) if pk is not None else None


# How far outside its grid's outline a point given with the grid may lie: a phone's GPS fix
# near the border (about 50 m at these latitudes).
BORDER_TOLERANCE_DEGREES = 0.0005


def point_outside(grid: Region, longitude: float, latitude: float) -> bool:
    """Whether the point lies clearly outside the grid (a grid or site given together with
    coordinates must agree with them). A grid without an outline cannot be checked: False."""
    try:
        polygon = parse_polygon(grid.geometry or {})
    except GeometryError:
        return False
    return polygon.distance(Point(longitude, latitude)) > BORDER_TOLERANCE_DEGREES


def place_disagrees(
    grid: Region | None, site: Site | None, longitude: float | None, latitude: float | None
) -> bool:
    """A grid (or a site, standing for its grid) given together with a point that lies
    clearly outside it; False when either side is missing."""
    place = grid if grid is not None else (site.grid if site is not None else None)
    if place is None or longitude is None or latitude is None:
        return False
    return point_outside(place, longitude, latitude)


def grids_under(region: Region) -> QuerySet[Region]:
    return grids().filter(path__startswith=region.path)
