"""The demo district's standing data: regions and grids, sites, units, people, categories.

None of these rows has events, so they are written with bulk_create; only the cases (see
civgrid.demo.casework) go through the real actions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from shapely.geometry.base import BaseGeometry

from civgrid.cases.models import Category, DeadlineRule, Urgency
from civgrid.demo import names
from civgrid.demo.catalogue import CATEGORIES, COMMUNITY_UNIT_OF_AREA, UNITS, CategorySpec
from civgrid.demo.geometry import StreetMap, build_street_map, random_point_in, to_geojson
from civgrid.org.models import Person, Role, Unit
from civgrid.territory.models import Region, Site

DEMO_PASSWORD = "demo1234"
CITY_CODE = "411600"
DISTRICT_CODE = "411602"
STREET_CODE = "411602001"

# How many of each site kind (点位) a grid has, relatively: small shops and homes dominate.
SITE_KIND_WEIGHTS = {
    Site.Kind.NINE_SMALL: 30,
    Site.Kind.COMMUNITY: 14,
    Site.Kind.BACK_ALLEY: 14,
    Site.Kind.MAIN_ROAD: 10,
    Site.Kind.ENTERPRISE: 6,
    Site.Kind.SERVICE_WINDOW: 5,
    Site.Kind.PUBLIC_TOILET: 5,
    Site.Kind.SCHOOL_SURROUNDINGS: 4,
    Site.Kind.PARK: 4,
    Site.Kind.MARKET: 3,
    Site.Kind.URBAN_VILLAGE: 3,
    Site.Kind.HOSPITAL: 1.5,
    Site.Kind.TRANSPORT_HUB: 0.5,
}


@dataclass
class District:
    """Handles on what was built, for the case simulation and the logins table."""

    map: StreetMap
    district: Region
    street: Region
    areas: list[Region]
    grids: list[Region]
    grid_streets: list[tuple[str, ...]]
    sites_by_grid: list[list[Site]]
    units: dict[str, Unit]
    clerks: dict[str, User]  # unit code -> its clerk
    office: User
    inspectors: list[User]
    leaders: list[User]  # by 片区 index
    workers: list[User]
    worker_of_grid: list[User]  # by grid index
    residents: list[User]
    categories: list[Category]
    specs: dict[int, CategorySpec] = field(default_factory=dict)  # category pk -> spec
    # The city above the district (一市多区) and its office, which sees every district.
    city: Region | None = None
    city_office: User | None = None

    def area_index(self, grid_index: int) -> int:
        return self.map.area_of_grid[grid_index]


def build_district(
    rng: random.Random,
    *,
    seed: int,
    n_grids: int = 326,
    n_areas: int = 13,
    n_workers: int = 238,
    n_residents: int = 8,
) -> District:
    street_map = build_street_map(seed, n_grids=n_grids, n_areas=n_areas)
    city, district, street, areas, grids = _regions(rng, street_map)
    grid_streets = [tuple(rng.sample(names.STREETS, 2)) for _ in grids]
    sites_by_grid = _sites(rng, street_map, grids, grid_streets)
    units = _units(rng, city, district)
    categories, specs = _categories(units)
    people = _People(rng)
    # The city's office (市创建办) sees every district; 川汇区's office and inspectors their own.
    # Its name and phone are fixed, not drawn: the district's draws stay those of earlier demos.
    city_office = people.add(
        "city-office", Role.OFFICE, name="周口市创建办刘主任", phone="0394-8212345"
    )
    office = people.add("office", Role.OFFICE, regions=[district])
    # The campaign offices keep the reference data (regions, units, categories, calendar) in
    # the admin; in the demo they may do everything there.
    for user in (city_office, office):
        user.is_staff = user.is_superuser = True
    inspectors = [
        people.add("inspector", Role.INSPECTOR, regions=[district]),
        people.add("inspector2", Role.INSPECTOR, regions=[district]),
    ]
    leaders = []
    for k, area in enumerate(areas):
        key_sites = [
            s
            for g, a in enumerate(street_map.area_of_grid)
            if a == k
            for s in sites_by_grid[g]
            if s.kind in (Site.Kind.MARKET, Site.Kind.SCHOOL_SURROUNDINGS, Site.Kind.PARK)
        ][:3]
        leaders.append(
            people.add(f"leader{k + 1:02d}", Role.LEADER, regions=[area], sites=key_sites)
        )
    clerks = {
        code: people.add(f"clerk-{code.lower()}", Role.UNIT_CLERK, unit=unit)
        for code, unit in units.items()
    }
    workers: list[User] = []
    worker_of_grid: list[User | None] = [None] * len(grids)
    for n, beat in enumerate(_beats(rng, street_map, n_workers), start=1):
        user = people.add(f"worker{n:03d}", Role.GRID_WORKER, regions=[grids[g] for g in beat])
        workers.append(user)
        for g in beat:
            worker_of_grid[g] = user
    residents = [people.add(f"resident{n:02d}", Role.RESIDENT) for n in range(1, n_residents + 1)]
    people.save()
    return District(
        map=street_map,
        district=district,
        street=street,
        areas=areas,
        grids=grids,
        grid_streets=grid_streets,
        sites_by_grid=sites_by_grid,
        units=units,
        clerks=clerks,
        office=office,
        inspectors=inspectors,
        leaders=leaders,
        workers=workers,
        worker_of_grid=worker_of_grid,  # type: ignore[arg-type]
        residents=residents,
        categories=categories,
        specs=specs,
        city=city,
        city_office=city_office,
    )


# --- territory ------------------------------------------------------------------------------


def _regions(
    rng: random.Random, street_map: StreetMap
) -> tuple[Region, Region, Region, list[Region], list[Region]]:
    population = []
    for _g in street_map.grids:
        residents = max(180, min(430, round(rng.gauss(300, 40))))
        population.append((round(residents / rng.uniform(2.6, 3.1)), residents))
    city = Region(code=CITY_CODE, name="周口市", level=Region.Level.CITY)
    city.save()
    district = Region(code=DISTRICT_CODE, name="川汇区", level=Region.Level.DISTRICT, parent=city)
    district.save()
    street = Region(
        code=STREET_CODE,
        name="七一路街道",
        level=Region.Level.STREET,
        parent=district,
        geometry=to_geojson(street_map.boundary),
        households=sum(h for h, _r in population),
        residents=sum(r for _h, r in population),
    )
    street.save()
    areas = []
    for k, shape in enumerate(street_map.areas):
        members = [i for i, a in enumerate(street_map.area_of_grid) if a == k]
        area = Region(
            code=f"{STREET_CODE}-{k + 1:02d}",
            name=f"第{names.CHINESE_ORDINALS[k]}片区（{names.COMMUNITIES[k]}）",
            level=Region.Level.AREA,
            parent=street,
            geometry=to_geojson(shape),
            households=sum(population[i][0] for i in members),
            residents=sum(population[i][1] for i in members),
        )
        area.save()
        areas.append(area)
    grids = []
    number_in_area = [0] * len(areas)
    for i, shape in enumerate(street_map.grids):
        k = street_map.area_of_grid[i]
        number_in_area[k] += 1
        n = number_in_area[k]
        grids.append(
            Region(
                code=f"{areas[k].code}-{n:03d}",
                name=f"{names.COMMUNITIES[k]}第{n}网格",
                level=Region.Level.GRID,
                parent=areas[k],
                geometry=to_geojson(shape),
                households=population[i][0],
                residents=population[i][1],
            )
        )
    Region.objects.bulk_create(grids)
    for grid in grids:  # what Region.save() does one row at a time
        grid.path = f"{grid.parent.path}{grid.pk}/"  # type: ignore[union-attr]
    Region.objects.bulk_update(grids, ["path"])
    return city, district, street, areas, grids


def _site_name(rng: random.Random, kind: str, street: str, community: str) -> str:
    k = Site.Kind
    if kind == k.MAIN_ROAD:
        return f"{street}（{community}段）"
    if kind == k.BACK_ALLEY:
        return f"{street}{rng.randint(1, 30)}号院小巷"
    if kind == k.URBAN_VILLAGE:
        return f"{rng.choice(names.VILLAGES)}城中村"
    if kind == k.MARKET:
        return f"{street.removesuffix('路').removesuffix('街').removesuffix('大道')}农贸市场"
    if kind == k.COMMUNITY:
        return rng.choice(names.ESTATES)
    if kind == k.SCHOOL_SURROUNDINGS:
        if rng.random() < 0.5:
            return f"周口市第{rng.randint(1, 20)}初级中学周边"
        return f"{street}小学周边"
    if kind == k.SERVICE_WINDOW:
        return f"{rng.choice(names.WINDOWS)}（{street}）"
    if kind == k.PARK:
        return f"{street}游园"
    if kind == k.ENTERPRISE:
        return f"周口市{rng.choice(names.ENTERPRISE_WORDS)}{rng.choice(names.ENTERPRISE_KINDS)}"
    if kind == k.NINE_SMALL:
        return f"{rng.choice(names.SHOP_WORDS)}{rng.choice(names.SHOPS)}"
    if kind == k.TRANSPORT_HUB:
        return rng.choice(names.TRANSPORT)
    if kind == k.HOSPITAL:
        return rng.choice(names.HOSPITALS)
    return f"{street}公厕"


def _sites(
    rng: random.Random,
    street_map: StreetMap,
    grids: list[Region],
    grid_streets: list[tuple[str, ...]],
) -> list[list[Site]]:
    counts = [rng.randint(6, 12) for _ in grids]
    kinds: list[str] = list(SITE_KIND_WEIGHTS)  # every kind at least once
    kinds += rng.choices(
        list(SITE_KIND_WEIGHTS),
        weights=list(SITE_KIND_WEIGHTS.values()),
        k=sum(counts) - len(kinds),
    )
    rng.shuffle(kinds)
    by_grid: list[list[Site]] = []
    pool = iter(kinds)
    for i, (grid, count) in enumerate(zip(grids, counts, strict=True)):
        shape: BaseGeometry = street_map.grids[i]
        community = names.COMMUNITIES[street_map.area_of_grid[i]]
        sites = []
        for n in range(1, count + 1):
            kind = next(pool)
            street = rng.choice(grid_streets[i])
            point = random_point_in(rng, shape, margin=0.00003)
            sites.append(
                Site(
                    code=f"{grid.code}-{n:02d}",
                    name=_site_name(rng, kind, street, community),
                    kind=kind,
                    grid=grid,
                    address=f"七一路街道{street}{rng.randint(1, 300)}号",
                    longitude=round(point.x, 6),
                    latitude=round(point.y, 6),
                )
            )
        by_grid.append(sites)
    Site.objects.bulk_create([s for sites in by_grid for s in sites])
    return by_grid


# --- organisation ---------------------------------------------------------------------------


def _units(rng: random.Random, city: Region, district: Region) -> dict[str, Unit]:
    # The district's departments and communities belong to it; the utilities serve the city.
    units = [
        Unit(
            code=code,
            name=name,
            kind=kind,
            phone=f"0394-82{rng.randint(10000, 99999)}",
            region=city if kind == Unit.Kind.PARTNER else district,
        )
        for code, name, kind in UNITS
    ]
    Unit.objects.bulk_create(units)
    return {u.code: u for u in units}


def _categories(units: dict[str, Unit]) -> tuple[list[Category], dict[int, CategorySpec]]:
    categories, rules, specs = [], [], {}
    for spec in CATEGORIES:
        category = Category.objects.create(
            code=spec.code,
            name=spec.name,
            default_unit=units[spec.unit],
            working_days=spec.days[0],
            description=f"默认责任单位：{units[spec.unit].name}",
        )
        categories.append(category)
        specs[category.pk] = spec
        for urgency, days in zip(
            (Urgency.NORMAL, Urgency.URGENT, Urgency.CRITICAL), spec.days, strict=True
        ):
            rules.append(DeadlineRule(category=category, urgency=urgency, working_days=days))
    DeadlineRule.objects.bulk_create(rules)
    return categories, specs


def _beats(rng: random.Random, street_map: StreetMap, n_workers: int) -> list[tuple[int, ...]]:
    """Which grids each grid worker patrols: one, or two neighbouring grids of the same 片区."""
    n_grids = len(street_map.grids)
    pairs_needed = max(0, n_grids - n_workers)
    order = list(range(n_grids))
    rng.shuffle(order)
    paired: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for same_area in (True, False):
        for i in order:
            if len(pairs) == pairs_needed:
                break
            if i in paired:
                continue
            candidates = sorted(
                j
                for j in street_map.neighbours[i]
                if j not in paired
                and (not same_area or street_map.area_of_grid[j] == street_map.area_of_grid[i])
            )
            if candidates:
                j = rng.choice(candidates)
                pairs.append((min(i, j), max(i, j)))
                paired.update((i, j))
    beats: list[tuple[int, ...]] = [*pairs, *((i,) for i in range(n_grids) if i not in paired)]
    return sorted(beats)


class _People:
    """Collects users and people, then writes them in three bulk inserts."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.password = make_password(DEMO_PASSWORD)  # hashed once: one shared demo password
        self.names = iter(names.unique_names(rng, 400))
        self.rows: list[tuple[User, Person, list[Region], list[Site]]] = []

    def add(
        self,
        username: str,
        role: str,
        *,
        unit: Unit | None = None,
        regions: list[Region] | None = None,
        sites: list[Site] | None = None,
        name: str | None = None,
        phone: str | None = None,
    ) -> User:
        user = get_user_model()(username=username, password=self.password)
        person = Person(
            name=name or next(self.names),
            phone=phone or names.mobile(self.rng),
            role=role,
            unit=unit,
        )
        self.rows.append((user, person, regions or [], sites or []))
        return user

    def save(self) -> None:
        User = get_user_model()
        User.objects.bulk_create([u for u, *_rest in self.rows])
        for user, person, *_rest in self.rows:
            person.user = user
        Person.objects.bulk_create([p for _u, p, *_rest in self.rows])
        RegionLink, SiteLink = Person.regions.through, Person.sites.through
        RegionLink.objects.bulk_create(
            [
                RegionLink(person_id=p.pk, region_id=r.pk)
                for _u, p, regions, _s in self.rows
                for r in regions
            ]
        )
        SiteLink.objects.bulk_create(
            [
                SiteLink(person_id=p.pk, site_id=s.pk)
                for _u, p, _r, sites in self.rows
                for s in sites
            ]
        )


def community_unit(district: District, grid_index: int) -> Unit | None:
    code = COMMUNITY_UNIT_OF_AREA.get(district.area_index(grid_index))
    return district.units[code] if code else None
