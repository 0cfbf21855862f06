"""Locating points in grids: shapely polygons behind an STRtree spatial index.

Coordinates are GeoJSON order (longitude, latitude), WGS84/GCJ-02 as delivered by the phone:
civgrid does not reproject, it only needs the same datum for grids and reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry


class GeometryError(ValueError):
    pass


def parse_polygon(geojson: dict[str, Any]) -> BaseGeometry:
    """A valid Polygon/MultiPolygon from a GeoJSON geometry (or Feature); raises GeometryError."""
    if not isinstance(geojson, dict):
        raise GeometryError("geometry must be a GeoJSON object")
    if geojson.get("type") == "Feature":
        geojson = geojson.get("geometry") or {}
    if geojson.get("type") not in ("Polygon", "MultiPolygon"):
        raise GeometryError(f"expected Polygon or MultiPolygon, got {geojson.get('type')!r}")
    try:
        geom = shape(geojson)
    except Exception as exc:  # shapely raises several types for malformed rings
        raise GeometryError(f"malformed geometry: {exc}") from exc
    if geom.is_empty:
        raise GeometryError("geometry is empty")
    if not geom.is_valid:
        raise GeometryError(f"invalid geometry: {shapely.is_valid_reason(geom)}")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise GeometryError("coordinates out of range (expected longitude, latitude)")
    return geom


@dataclass(frozen=True)
class GridLocator:
    """Answers "which grid contains this point?" without looping over every polygon."""

    keys: tuple[Any, ...]
    geometries: tuple[BaseGeometry, ...]
    tree: shapely.STRtree

    @classmethod
    def build(cls, items: Iterable[tuple[Any, BaseGeometry]]) -> GridLocator:
        pairs = list(items)
        keys = tuple(k for k, _ in pairs)
        geoms = tuple(g for _, g in pairs)
        for g in geoms:
            shapely.prepare(g)
        return cls(keys=keys, geometries=geoms, tree=shapely.STRtree(geoms))

    def locate(self, lon: float, lat: float) -> Any | None:
        """The key of the grid containing (lon, lat); on a shared border the lowest index wins."""
        hits = self.tree.query(Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        return self.keys[int(min(hits))]

    def __len__(self) -> int:
        return len(self.keys)
