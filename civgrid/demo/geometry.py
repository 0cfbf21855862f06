"""The demo street's map: an irregular boundary tiled by Voronoi grids, grouped into 片区.

Pure shapely, no Django. Shapes are built in a local metric-like frame (longitude scaled by
cos(latitude)) so cells come out roughly square on the ground, then taken back to longitude and
latitude and snapped to a 1e-6° grid (about 0.1 m): neighbours then share exactly the same
vertices, so the tiling has neither gaps nor overlaps.
"""

from __future__ import annotations

import heapq
import math
import random
from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry

# Around 七一路街道 in 川汇区: lon 114.58-114.64, lat 33.59-33.63. The test world's grid A
# (civgrid.testing, lon 114.60-114.61, lat 33.60-33.61) lies inside it, so the API's example
# point (114.605, 33.605) is in a grid of both.
CENTER_LON = 114.610
CENTER_LAT = 33.610
HALF_WIDTH_LON = 0.024
HALF_HEIGHT_LAT = 0.0185
GRID_SIZE = 1e-6
_COS = math.cos(math.radians(CENTER_LAT))


@dataclass(frozen=True)
class StreetMap:
    boundary: BaseGeometry  # lon/lat, the street's outline (union of the grids)
    grids: tuple[BaseGeometry, ...]  # lon/lat polygons, ordered by area then position
    area_of_grid: tuple[int, ...]  # index of the 片区 of each grid
    areas: tuple[BaseGeometry, ...]  # lon/lat union of each 片区's grids
    neighbours: tuple[frozenset[int], ...]  # grids sharing a border with each grid


def _to_local(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: (xy - (CENTER_LON, CENTER_LAT)) * (_COS, 1.0))


def _to_lonlat(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: xy / (_COS, 1.0) + (CENTER_LON, CENTER_LAT))


def _boundary(rng: random.Random) -> Polygon:
    """An irregular, roughly elliptic outline: a few smooth waves on the radius plus jitter."""
    waves = [(k, rng.uniform(0.03, 0.09), rng.uniform(0, 2 * math.pi)) for k in (2, 3, 5)]
    rx, ry = HALF_WIDTH_LON * _COS, HALF_HEIGHT_LAT
    points = []
    n = 36
    for i in range(n):
        a = 2 * math.pi * i / n
        r = 1 + sum(amp * math.sin(k * a + phase) for k, amp, phase in waves)
        r *= rng.uniform(0.97, 1.03)
        points.append((rx * r * math.cos(a), ry * r * math.sin(a)))
    polygon = Polygon(points)
    return polygon if polygon.is_valid else polygon.buffer(0)


def _random_points(rng: random.Random, within: Polygon, n: int) -> list[tuple[float, float]]:
    minx, miny, maxx, maxy = within.bounds
    shapely.prepare(within)
    points: list[tuple[float, float]] = []
    while len(points) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if within.contains(Point(x, y)):
            points.append((x, y))
    return points


def _cells(points: list[tuple[float, float]], boundary: Polygon) -> list[BaseGeometry]:
    diagram = shapely.voronoi_polygons(MultiPoint(points), extend_to=boundary, ordered=True)
    return [cell.intersection(boundary) for cell in diagram.geoms]


def _largest_part(geom: BaseGeometry) -> tuple[BaseGeometry, list[BaseGeometry]]:
    if geom.geom_type == "Polygon":
        return geom, []
    parts = sorted(
        (g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"),
        key=lambda g: g.area,
        reverse=True,
    )
    return parts[0], parts[1:]


def _tidy(cells: list[BaseGeometry]) -> list[BaseGeometry]:
    """Give stray pieces (a cell cut in two by a bend of the boundary) to the neighbour they
    share the longest border with, so every grid is one contiguous polygon."""
    main: list[BaseGeometry] = []
    strays: list[BaseGeometry] = []
    for cell in cells:
        keep, rest = _largest_part(cell)
        main.append(keep)
        strays.extend(rest)
    for piece in strays:
        best = max(range(len(main)), key=lambda i: piece.intersection(main[i]).length)
        merged = shapely.union(main[best], piece, grid_size=None)
        main[best] = _largest_part(merged)[0] if merged.geom_type != "Polygon" else merged
    return main


def _relax(rng: random.Random, boundary: Polygon, n: int, rounds: int) -> list[BaseGeometry]:
    """Lloyd relaxation: evenly sized cells, as a street office draws its grids."""
    points = _random_points(rng, boundary, n)
    for _round in range(rounds):
        cells = _cells(points, boundary)
        points = []
        for cell in cells:
            c = cell.centroid
            if not boundary.contains(c):
                c = cell.representative_point()
            points.append((c.x, c.y))
    return _tidy(_cells(points, boundary))


def _adjacency(cells: list[BaseGeometry]) -> list[set[int]]:
    tree = shapely.STRtree(cells)
    neighbours: list[set[int]] = [set() for _ in cells]
    left, right = tree.query(cells, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i < j and cells[i].intersection(cells[j]).length > 1e-7:
            neighbours[i].add(j)
            neighbours[j].add(i)
    return neighbours


def _group(
    rng: random.Random, cells: list[BaseGeometry], neighbours: list[set[int]], n_areas: int
) -> list[int]:
    """Contiguous 片区: grow from spread-out seeds, the smallest area taking a neighbour first."""
    centroids = [(c.centroid.x, c.centroid.y) for c in cells]

    def dist(i: int, j: int) -> float:
        return math.dist(centroids[i], centroids[j])

    seeds = [rng.randrange(len(cells))]
    while len(seeds) < n_areas:  # farthest-point sampling
        seeds.append(max(range(len(cells)), key=lambda i: min(dist(i, s) for s in seeds)))
    area_of = [-1] * len(cells)
    sizes = [1] * n_areas
    for a, s in enumerate(seeds):
        area_of[s] = a
    frontier: list[list[tuple[float, int]]] = [[] for _ in range(n_areas)]

    def push(a: int, cell: int) -> None:
        for nb in neighbours[cell]:
            if area_of[nb] == -1:
                heapq.heappush(frontier[a], (dist(nb, seeds[a]), nb))

    for a, s in enumerate(seeds):
        push(a, s)
    remaining = len(cells) - n_areas
    while remaining:
        progressed = False
        for a in sorted(range(n_areas), key=lambda a: (sizes[a], a)):
            while frontier[a] and area_of[frontier[a][0][1]] != -1:
                heapq.heappop(frontier[a])
            if not frontier[a]:
                continue
            _d, cell = heapq.heappop(frontier[a])
            area_of[cell] = a
            sizes[a] += 1
            remaining -= 1
            push(a, cell)
            progressed = True
            break
        if not progressed:  # an island (cannot happen on a connected tiling): nearest seed
            for i in range(len(cells)):
                if area_of[i] == -1:
                    area_of[i] = min(range(n_areas), key=lambda a: dist(i, seeds[a]))
                    remaining -= 1
    return area_of


def _reading_order(geoms: list[BaseGeometry], band: float) -> list[int]:
    """North to south in bands, west to east inside a band: how people number a map."""
    keyed = []
    for i, g in enumerate(geoms):
        c = g.centroid
        keyed.append((-math.floor(c.y / band), c.x, i))
    return [i for *_k, i in sorted(keyed)]


def _snap(geom: BaseGeometry) -> BaseGeometry:
    return shapely.set_precision(_to_lonlat(geom), GRID_SIZE)


def build_street_map(
    seed: int, *, n_grids: int = 326, n_areas: int = 13, relax_rounds: int = 4
) -> StreetMap:
    rng = random.Random(f"street-map:{seed}")
    boundary = _boundary(rng)
    cells = _relax(rng, boundary, n_grids, relax_rounds)
    neighbours = _adjacency(cells)
    area_of = _group(rng, cells, neighbours, n_areas)

    # Number the 片区 in reading order, then the grids area by area in reading order.
    area_shapes = [
        shapely.union_all([c for c, a in zip(cells, area_of, strict=True) if a == k])
        for k in range(n_areas)
    ]
    area_rank = {old: new for new, old in enumerate(_reading_order(area_shapes, 0.009))}
    order: list[int] = []
    for k in sorted(range(n_areas), key=lambda k: area_rank[k]):
        members = [i for i in range(len(cells)) if area_of[i] == k]
        ranked = _reading_order([cells[i] for i in members], 0.002)
        order.extend(members[r] for r in ranked)
    new_index = {old: new for new, old in enumerate(order)}

    grids = tuple(_snap(cells[i]) for i in order)
    grid_areas = tuple(area_rank[area_of[i]] for i in order)
    areas = tuple(
        shapely.union_all(
            [g for g, a in zip(grids, grid_areas, strict=True) if a == k], grid_size=GRID_SIZE
        )
        for k in range(n_areas)
    )
    street = shapely.union_all(list(grids), grid_size=GRID_SIZE)
    return StreetMap(
        boundary=street,
        grids=grids,
        area_of_grid=grid_areas,
        areas=areas,
        neighbours=tuple(frozenset(new_index[j] for j in neighbours[i]) for i in order),
    )


def random_point_in(rng: random.Random, polygon: BaseGeometry, margin: float = 0.0) -> Point:
    """A uniformly random point strictly inside the polygon (at least `margin` from its edge)."""
    inner = polygon.buffer(-margin) if margin else polygon
    if inner.is_empty:
        inner = polygon
    minx, miny, maxx, maxy = inner.bounds
    for _attempt in range(200):
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if inner.contains(p):
            return p
    return polygon.representative_point()


def to_geojson(geom: BaseGeometry) -> dict:
    """GeoJSON geometry with coordinates rounded to the snapping grid (short, exact JSON)."""

    def ring(coords: object) -> list[list[float]]:
        return [[round(x, 6), round(y, 6)] for x, y, *_z in coords]  # type: ignore[attr-defined]

    def polygon(p: Polygon) -> list[list[list[float]]]:
        return [ring(p.exterior.coords), *(ring(r.coords) for r in p.interiors)]

    if geom.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geom)}  # type: ignore[arg-type]
    if geom.geom_type == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [polygon(p) for p in geom.geoms]}  # type: ignore[attr-defined]
    raise ValueError(f"not a polygon: {geom.geom_type}")
