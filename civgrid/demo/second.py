"""The demo's second, smaller district (淮阳区) beside 川汇区 under 周口市 (一市多区).

A town street with two 片区 and six grids around 淮阳's 龙湖, its own office, inspector, units
(one named 城市管理局 like 川汇区's: unit names are unique per district), clerks and grid
workers, and a few dozen cases walked through the real case actions, each at its moment, like
civgrid.demo.casework does for the big district. It shows what each office sees: 川汇区's
office never sees these cases, 淮阳区's never those of 川汇区, the city office both.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from civgrid.cases import actions
from civgrid.cases.models import Category, Source
from civgrid.cases.reporting import report_case
from civgrid.demo.district import _People
from civgrid.org.models import Role, Unit
from civgrid.territory.models import Region, Site

DISTRICT_CODE = "411603"
STREET_CODE = "411603001"
# Around 淮阳's 龙湖: well east of 川汇区, so no point lies in a grid of both.
WEST, SOUTH, SIZE = 114.870, 33.720, 0.008
AREAS = ("城关片区", "龙湖片区")
GRIDS_PER_AREA = 3
UNITS = (
    ("HY-CGJ", "城市管理局", Unit.Kind.DISTRICT_DEPARTMENT),
    ("HY-SCJ", "市场监督管理局", Unit.Kind.DISTRICT_DEPARTMENT),
    ("HY-CGZ", "城关镇人民政府", Unit.Kind.TOWNSHIP),
)
PLACES = ("羲皇大道", "龙湖路", "太昊路", "八卦台路", "文化路", "朝阳街")
PROBLEMS = (
    "{place}沿街商户占道经营，堵塞人行道",
    "{place}路边垃圾堆积未及时清运",
    "{place}非机动车乱停乱放",
    "{place}公益广告牌破损",
    "{place}绿化带内有建筑垃圾",
)
HOUR = dt.timedelta(hours=1)


@dataclass
class SecondDistrict:
    district: Region
    grids: list[Region]
    units: list[Unit]
    office: User
    inspector: User
    workers: list[User]
    clerks: list[User]
    cases: int


def _square(lon: float, lat: float, width: int = 1, height: int = 1) -> dict[str, object]:
    east, north = lon + width * SIZE, lat + height * SIZE
    ring = [[lon, lat], [east, lat], [east, north], [lon, north], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _territory(city: Region) -> tuple[Region, list[Region]]:
    district = Region(code=DISTRICT_CODE, name="淮阳区", level=Region.Level.DISTRICT, parent=city)
    district.save()
    street = Region(
        code=STREET_CODE,
        name="城关镇",
        level=Region.Level.STREET,
        parent=district,
        geometry=_square(WEST, SOUTH, GRIDS_PER_AREA, len(AREAS)),
    )
    street.save()
    grids: list[Region] = []
    for k, area_name in enumerate(AREAS):
        area = Region(
            code=f"{STREET_CODE}-{k + 1:02d}",
            name=area_name,
            level=Region.Level.AREA,
            parent=street,
            geometry=_square(WEST, SOUTH + k * SIZE, GRIDS_PER_AREA),
        )
        area.save()
        for n in range(GRIDS_PER_AREA):
            grid = Region(
                code=f"{area.code}-{n + 1:03d}",
                name=f"{area_name[:2]}第{n + 1}网格",
                level=Region.Level.GRID,
                parent=area,
                geometry=_square(WEST + n * SIZE, SOUTH + k * SIZE),
                households=240 + 20 * n,
                residents=650 + 40 * n,
            )
            grid.save()
            grids.append(grid)
    for i, grid in enumerate(grids):
        Site.objects.create(
            code=f"HY-S{i + 1:02d}",
            name=f"{PLACES[i]}{'农贸市场' if i % 3 == 0 else ''}",
            kind=Site.Kind.MARKET if i % 3 == 0 else Site.Kind.MAIN_ROAD,
            grid=grid,
            longitude=WEST + (i % GRIDS_PER_AREA + 0.5) * SIZE,
            latitude=SOUTH + (i // GRIDS_PER_AREA + 0.5) * SIZE,
        )
    return district, grids


def build_second_district(
    rng: random.Random,
    *,
    city: Region,
    categories: list[Category],
    end: dt.datetime,
    days: int,
    n_cases: int = 48,
) -> SecondDistrict:
    """淮阳区: territory, units and people in a few rows, then `n_cases` cases over the window."""
    district, grids = _territory(city)
    units = [
        Unit.objects.create(
            code=code,
            name=name,
            kind=kind,
            region=district,
            phone=f"0394-26{rng.randint(10000, 99999)}",
        )
        for code, name, kind in UNITS
    ]
    people = _People(rng)
    office = people.add("office-hy", Role.OFFICE, regions=[district])
    inspector = people.add("inspector-hy", Role.INSPECTOR, regions=[district])
    clerks = [people.add(f"clerk-{u.code.lower()}", Role.UNIT_CLERK, unit=u) for u in units]
    # Each worker walks one grid or two side by side in the same 片区, as in 川汇区.
    beats = [grids[0:2], grids[2:3], grids[3:5], grids[5:6]]
    workers = [
        people.add(f"worker-hy{n + 1}", Role.GRID_WORKER, regions=beat)
        for n, beat in enumerate(beats)
    ]
    people.save()
    made = _cases(
        rng,
        grids,
        units,
        (office, inspector),
        list(zip(workers, beats, strict=True)),
        clerks,
        categories,
        (end, days),
        n_cases,
    )
    return SecondDistrict(district, grids, units, office, inspector, workers, clerks, made)


def _cases(
    rng: random.Random,
    grids: list[Region],
    units: list[Unit],
    staff: tuple[User, User],
    workers: list[tuple[User, list[Region]]],
    clerks: list[User],
    categories: list[Category],
    window: tuple[dt.datetime, int],
    n_cases: int,
) -> int:
    """Cases reported by the grid workers and walked as far as their fate says, each step at
    its own moment inside the window (the actions write every event themselves)."""
    office, inspector = staff
    end, days = window
    start = end - dt.timedelta(days=days)
    made = 0
    for _n in range(n_cases):
        g = rng.randrange(len(grids))
        worker = next(w for w, beat in workers if grids[g] in beat)
        at = start + dt.timedelta(days=rng.randrange(max(1, days - 2)))
        at = timezone.localtime(at).replace(hour=rng.randint(9, 16), minute=rng.randrange(60))
        unit_index = rng.randrange(len(units))
        fate = rng.choices(("closed", "in_progress", "assigned", "reported"), (6, 2, 1, 1))[0]
        lon, lat = grids[g].geometry["coordinates"][0][0]  # type: ignore[index]
        with time_machine.travel(at, tick=False):
            case, _created = report_case(
                actor=worker,
                source=Source.PATROL,
                category=rng.choice(categories),
                description=rng.choice(PROBLEMS).format(place=rng.choice(PLACES)),
                longitude=lon + rng.uniform(0.1, 0.9) * SIZE,
                latitude=lat + rng.uniform(0.1, 0.9) * SIZE,
                reporter_name="",
            )
        made += 1
        steps: list[tuple[str, User, dict[str, object]]] = []
        if fate != "reported":
            steps += [("register", office, {}), ("assign", office, {"unit": units[unit_index]})]
        if fate in ("closed", "in_progress"):
            steps.append(("accept", clerks[unit_index], {}))
        if fate == "closed":
            steps += [
                ("submit", clerks[unit_index], {"note": "已整改完毕"}),
                ("verify_pass", inspector, {}),
            ]
        for name, actor, kwargs in steps:
            at += HOUR * rng.uniform(1, 20)
            if at >= end:
                break
            with time_machine.travel(at, tick=False):
                action = actions.ACTIONS[name]
                case = action(case.pk, actor=actor, expected_version=case.version, **kwargs)  # type: ignore[operator]
    return made
