"""Reading a GeoJSON file of regions and grids (区划/网格导入) and checking every feature.

Validation is separate from writing (civgrid.territory.actions.import_regions): the whole file
is checked first against itself and the database, every problem is collected with the feature
it belongs to, and only a file without errors is written.

Each feature's properties: code, name, level (city/district/street/area/grid, 0-4 or
市/区/街道/片区/网格), parent_code, households, residents. Grids need a Polygon or MultiPolygon
geometry. A city has no parent; a district has none or a city (一市多区). A district office
imports only under its district (`scope`, see civgrid/org/scope.py).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civgrid.lib.geometry import GeometryError, parse_polygon
from civgrid.lib.text import text_problem
from civgrid.territory.models import Region

# Grids overlapping by more than this share of the smaller one are reported (a warning: a
# border digitised twice overlaps a little, and the locator's lowest-index rule settles it).
OVERLAP_TOLERANCE = 0.001
MAX_FEATURES = 20_000

LEVEL_ALIASES: dict[str, int] = {
    "city": Region.Level.CITY,
    "市": Region.Level.CITY,
    "district": Region.Level.DISTRICT,
    "区": Region.Level.DISTRICT,
    "street": Region.Level.STREET,
    "township": Region.Level.STREET,
    "街道": Region.Level.STREET,
    "乡镇": Region.Level.STREET,
    "area": Region.Level.AREA,
    "片区": Region.Level.AREA,
    "grid": Region.Level.GRID,
    "网格": Region.Level.GRID,
}
LEVEL_NAMES = {0: "city", 1: "district", 2: "street", 3: "area", 4: "grid"}
# For messages: "… is a street", "… under an area".
LEVEL_WITH_ARTICLE = {
    0: gettext_lazy("a city"),
    1: gettext_lazy("a district"),
    2: gettext_lazy("a street"),
    3: gettext_lazy("an area"),
    4: gettext_lazy("a grid"),
}


@dataclass(frozen=True)
class Problem:
    """One line of the report: which feature (0-based, None for the file), code, field."""

    index: int | None
    code: str
    field: str
    message: str
    severity: str = "error"  # or "warning"

    @property
    def number(self) -> int | None:
        """The feature's number as people count (1-based)."""
        return None if self.index is None else self.index + 1


@dataclass
class RegionRow:
    index: int
    code: str
    name: str
    level: int
    parent_code: str
    households: int | None
    residents: int | None
    geometry: dict[str, Any] | None
    shape: Any = None


@dataclass
class RegionPlan:
    rows: list[RegionRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def load_geojson(data: bytes | str) -> tuple[Any, Problem | None]:
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        return None, Problem(None, "", "file", _("The file is not UTF-8 text."))
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        message = _("The file is not valid JSON (line %(line)d, column %(column)d).") % {
            "line": exc.lineno,
            "column": exc.colno,
        }
    except (ValueError, RecursionError):
        message = _("The file is not valid JSON.")
    return None, Problem(None, "", "file", message)


# The largest value the database's integer column holds (PostgreSQL's int4).
MAX_COUNT = 2_147_483_647


def _count(value: Any, index: int, code: str, name: str, problems: list[Problem]) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    else:
        number = None
    if number is None or number < 0 or number > MAX_COUNT:
        problems.append(
            Problem(
                index,
                code,
                name,
                _("Must be a whole number from 0 to %(max)d.") % {"max": MAX_COUNT},
            )
        )
        return None
    return number


def _level(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value in LEVEL_NAMES:
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text.isascii() and text.isdigit() and int(text) in LEVEL_NAMES:
            return int(text)
        return LEVEL_ALIASES.get(text)
    return None


def _read_feature(index: int, feature: Any, problems: list[Problem]) -> RegionRow | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        problems.append(Problem(index, "", "feature", _("Not a GeoJSON Feature.")))
        return None
    props = feature.get("properties")
    if not isinstance(props, dict):
        problems.append(Problem(index, "", "properties", _("The feature has no properties.")))
        return None
    before = len(problems)
    raw_code = props.get("code")
    code = str(raw_code).strip() if raw_code is not None else ""
    if not code:
        problems.append(Problem(index, "", "code", _("A code is required.")))
    elif len(code) > 32:
        problems.append(Problem(index, code, "code", _("At most 32 characters.")))
    name = str(props.get("name") or "").strip()
    if not name:
        problems.append(Problem(index, code, "name", _("A name is required.")))
    elif len(name) > 100:
        problems.append(Problem(index, code, "name", _("At most 100 characters.")))
    level = _level(props.get("level"))
    if level is None:
        problems.append(
            Problem(
                index,
                code,
                "level",
                _("Unknown level %(value)s: use city, district, street, area or grid (or 0-4).")
                % {"value": json.dumps(props.get("level"), ensure_ascii=False)},
            )
        )
    parent_code = str(props.get("parent_code") or "").strip()
    for prop, text in (("code", code), ("name", name), ("parent_code", parent_code)):
        if message := text_problem(text):  # an invisible control character (civgrid.lib.text)
            problems.append(Problem(index, code, prop, message))
    households = _count(props.get("households"), index, code, "households", problems)
    residents = _count(props.get("residents"), index, code, "residents", problems)
    geometry = feature.get("geometry")
    shape = None
    if geometry is None:
        if level == Region.Level.GRID:
            problems.append(Problem(index, code, "geometry", _("A grid needs its polygon.")))
    else:
        try:
            shape = parse_polygon(geometry)
        except GeometryError as exc:
            problems.append(
                Problem(index, code, "geometry", _("Invalid polygon: %(reason)s") % {"reason": exc})
            )
    if len(problems) > before:
        return None
    return RegionRow(
        index=index,
        code=code,
        name=name,
        level=level,  # type: ignore[arg-type]
        parent_code=parent_code,
        households=households,
        residents=residents,
        geometry={"type": geometry["type"], "coordinates": geometry["coordinates"]}
        if isinstance(geometry, dict) and "coordinates" in geometry
        else None,
        shape=shape,
    )


def validate_regions(collection: Any, scope: Any = None) -> RegionPlan:
    """Check a FeatureCollection against itself and the database; writes nothing.

    `scope` (a civgrid.org.scope.Scope) is the importer's: every region must lie inside it."""
    plan = RegionPlan()
    problems = plan.problems
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        problems.append(
            Problem(None, "", "file", _("The file is not a GeoJSON FeatureCollection."))
        )
        return plan
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        problems.append(Problem(None, "", "features", _("The file has no features.")))
        return plan
    if len(features) > MAX_FEATURES:
        problems.append(
            Problem(
                None, "", "features", _("Too many features (at most %(n)d).") % {"n": MAX_FEATURES}
            )
        )
        return plan

    first_index: dict[str, int] = {}
    for index, feature in enumerate(features):
        row = _read_feature(index, feature, problems)
        if row is None:
            continue
        if row.code in first_index:
            problems.append(
                Problem(
                    index,
                    row.code,
                    "code",
                    _("Code %(code)s appears more than once (first in feature %(n)d).")
                    % {"code": row.code, "n": first_index[row.code] + 1},
                )
            )
            continue
        first_index[row.code] = index
        plan.rows.append(row)

    _check_tree(plan)
    if scope is not None and not scope.is_everything:
        _check_scope(plan, scope)
    _check_overlaps(plan)
    # Feature by feature, as the person fixing the file will walk through it.
    plan.problems.sort(key=lambda p: -1 if p.index is None else p.index)
    return plan


def _check_tree(plan: RegionPlan) -> None:
    in_file = {row.code: row for row in plan.rows}
    wanted = set(in_file) | {row.parent_code for row in plan.rows if row.parent_code}
    existing = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    for row in plan.rows:
        old = existing.get(row.code)
        if old is not None and old.level != row.level:
            plan.problems.append(
                Problem(
                    row.index,
                    row.code,
                    "level",
                    _("%(code)s already exists as %(old)s; it cannot become %(new)s.")
                    % {
                        "code": row.code,
                        "old": LEVEL_WITH_ARTICLE[old.level],
                        "new": LEVEL_WITH_ARTICLE[row.level],
                    },
                )
            )
            continue
        if row.level == Region.Level.CITY:
            if row.parent_code:
                plan.problems.append(
                    Problem(row.index, row.code, "parent_code", _("A city has no parent."))
                )
            continue
        if row.level == Region.Level.DISTRICT and not row.parent_code:
            continue  # a district of its own, or one under a city
        if not row.parent_code:
            plan.problems.append(
                Problem(
                    row.index,
                    row.code,
                    "parent_code",
                    _("A parent code is required below district level."),
                )
            )
            continue
        if row.parent_code == row.code:
            plan.problems.append(
                Problem(row.index, row.code, "parent_code", _("A region cannot be its own parent."))
            )
            continue
        parent_level = (
            in_file[row.parent_code].level
            if row.parent_code in in_file
            else existing[row.parent_code].level
            if row.parent_code in existing
            else None
        )
        if parent_level is None:
            plan.problems.append(
                Problem(
                    row.index,
                    row.code,
                    "parent_code",
                    _("Unknown parent %(parent)s: not in this file nor in civgrid.")
                    % {"parent": row.parent_code},
                )
            )
        elif parent_level != row.level - 1:
            plan.problems.append(
                Problem(
                    row.index,
                    row.code,
                    "level",
                    _(
                        "The parent of %(level)s must be %(expected)s, but %(parent)s is "
                        "%(parent_level)s."
                    )
                    % {
                        "level": LEVEL_WITH_ARTICLE[row.level],
                        "expected": LEVEL_WITH_ARTICLE[row.level - 1],
                        "parent": row.parent_code,
                        "parent_level": LEVEL_WITH_ARTICLE[parent_level],
                    },
                )
            )


def _check_scope(plan: RegionPlan, scope: Any) -> None:
    """Every row inside the importer's district: an existing region must lie in it, and so
    must the parent a row hangs from (a parent in the file is checked as its own row)."""
    in_file = {row.code: row for row in plan.rows}
    wanted = set(in_file) | {row.parent_code for row in plan.rows if row.parent_code}
    existing = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    for row in plan.rows:
        old = existing.get(row.code)
        parent = existing.get(row.parent_code) if row.parent_code not in in_file else None
        if row.parent_code in in_file:
            parent_ok = True
        elif parent is not None:
            # Under a region of the district, or left where it is (the district's own row
            # keeps its city).
            parent_ok = scope.covers(parent) or (old is not None and old.parent_id == parent.pk)
        else:
            parent_ok = old is not None and not row.parent_code and old.parent_id is None
        inside = (old is None or scope.covers(old)) and parent_ok
        if not inside:
            plan.problems.append(
                Problem(
                    row.index,
                    row.code,
                    "parent_code",
                    _("%(code)s lies outside your district: import only under it.")
                    % {"code": row.code},
                )
            )


def _square_metres(area_deg2: float, latitude: float) -> float:
    return area_deg2 * 111_320.0**2 * math.cos(math.radians(latitude))


def _check_overlaps(plan: RegionPlan) -> None:
    """Grids of the file against each other and against the grids already in civgrid."""
    grids = [row for row in plan.rows if row.level == Region.Level.GRID and row.shape is not None]
    if not grids:
        return
    in_file = {row.code for row in grids}
    others: list[tuple[str, Any]] = []
    for code, geometry in (
        Region.objects.filter(level=Region.Level.GRID)
        .exclude(geometry=None)
        .exclude(code__in=in_file)
        .values_list("code", "geometry")
    ):
        if not isinstance(geometry, dict):
            continue
        try:
            others.append((code, parse_polygon(geometry)))
        except GeometryError:
            continue
    shapes = [row.shape for row in grids] + [shape for _code, shape in others]
    codes = [row.code for row in grids] + [code for code, _shape in others]
    tree = shapely.STRtree(shapes)
    left, right = tree.query(shapes[: len(grids)], predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i == j or (j < len(grids) and j < i):
            continue  # each pair of file grids once, reported on the later feature
        a, b = shapes[i], shapes[j]
        overlap = a.intersection(b).area
        if overlap <= OVERLAP_TOLERANCE * min(a.area, b.area):
            continue
        row = grids[max(i, j)] if j < len(grids) else grids[i]
        plan.problems.append(
            Problem(
                row.index,
                row.code,
                "geometry",
                _("Overlaps grid %(other)s by about %(m2)d m².")
                % {
                    "other": codes[j] if row is grids[i] else codes[i],
                    "m2": round(_square_metres(overlap, a.centroid.y)),
                },
                severity="warning",
            )
        )
