"""Plain factory functions for tests (and nothing else): keyword overrides, sensible defaults."""

from __future__ import annotations

import io
import itertools
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civgrid.cases import actions, reporting
from civgrid.cases.models import SOURCES_BY_ROLE, Case, Category, DeadlineRule, Source, Urgency
from civgrid.org.models import Person, Role, Unit
from civgrid.territory.models import Region, Site

_seq = itertools.count(1)
PASSWORD = "civgrid-test-pw"
# The persona attribute of `build_world()` that acts for each role in tests.
ACTOR_FOR_ROLE = {
    Role.OFFICE: "office",
    Role.INSPECTOR: "inspector",
    Role.LEADER: "leader",
    Role.UNIT_CLERK: "clerk",
    Role.GRID_WORKER: "worker_a",
    Role.RESIDENT: "resident",
}


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


def make_region(**kw: Any) -> Region:
    n = next(_seq)
    defaults: dict[str, Any] = {"code": f"R{n:05d}", "name": f"区域{n}", "level": Region.Level.GRID}
    defaults.update(kw)
    return Region.objects.create(**defaults)


def make_unit(**kw: Any) -> Unit:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "code": f"U{n:04d}",
        "name": f"责任单位{n}",
        "kind": Unit.Kind.DISTRICT_DEPARTMENT,
    }
    defaults.update(kw)
    return Unit.objects.create(**defaults)


def make_person(
    role: str,
    *,
    username: str | None = None,
    unit: Unit | None = None,
    regions: list[Region] | None = None,
    **kw: Any,
) -> Person:
    n = next(_seq)
    user = get_user_model().objects.create_user(username or f"user{n}", password=PASSWORD)
    person = Person.objects.create(
        user=user, name=kw.pop("name", f"人员{n}"), role=role, unit=unit, **kw
    )
    if regions:
        person.regions.set(regions)
    return person


def make_category(**kw: Any) -> Category:
    n = next(_seq)
    rules = kw.pop("rules", {Urgency.NORMAL: 5, Urgency.URGENT: 2, Urgency.CRITICAL: 1})
    defaults: dict[str, Any] = {"code": f"C{n:03d}", "name": f"问题类别{n}", "working_days": 5}
    defaults.update(kw)
    category = Category.objects.create(**defaults)
    for urgency, days in rules.items():
        DeadlineRule.objects.create(category=category, urgency=urgency, working_days=days)
    return category


def make_site(grid: Region, **kw: Any) -> Site:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "code": f"S{n:05d}",
        "name": f"点位{n}",
        "kind": Site.Kind.MAIN_ROAD,
    }
    defaults.update(kw)
    return Site.objects.create(grid=grid, **defaults)


def png_bytes(color: str = "red", size: tuple[int, int] = (32, 24)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    """A JPEG carrying GPS-like EXIF metadata (tag 0x8825 GPSInfo, 0x010F make)."""
    img = Image.new("RGB", (40, 30), "blue")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X"
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def photo_upload(name: str = "photo.png", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else png_bytes(), "image/png")


def build_world() -> SimpleNamespace:
    """A small district with the six personas of the style guide and two grids, A and B.

    Grid A covers lon 114.60-114.61, lat 33.60-33.61; grid B lies just east of it.
    """
    district = make_region(code="411602", name="川汇区", level=Region.Level.DISTRICT)
    street = make_region(
        code="411602001", name="七一路街道", level=Region.Level.STREET, parent=district
    )
    area = make_region(code="411602001-01", name="第一片区", level=Region.Level.AREA, parent=street)
    grid_a = make_region(
        code="411602001-01-001",
        name="国槐街网格",
        parent=area,
        geometry=square(114.60, 33.60),
        households=120,
        residents=310,
    )
    grid_b = make_region(
        code="411602001-01-002",
        name="富民社区网格",
        parent=area,
        geometry=square(114.61, 33.60),
        households=100,
        residents=290,
    )
    unit = make_unit(name="城市管理局", code="CGJ")
    other_unit = make_unit(name="市场监督管理局", code="SCJ")
    category = make_category(name="占道经营", code="ZDJY", default_unit=unit)
    w = SimpleNamespace(
        district=district,
        street=street,
        area=area,
        grid_a=grid_a,
        grid_b=grid_b,
        unit=unit,
        other_unit=other_unit,
        category=category,
        office=make_person(Role.OFFICE, username="office", name="创建办张主任"),
        inspector=make_person(Role.INSPECTOR, username="inspector", name="督查李科长"),
        leader=make_person(Role.LEADER, username="leader", name="分包王区长", regions=[area]),
        clerk=make_person(Role.UNIT_CLERK, username="clerk", unit=unit, name="城管局联络员"),
        other_clerk=make_person(
            Role.UNIT_CLERK, username="clerk2", unit=other_unit, name="市监局联络员"
        ),
        worker_a=make_person(
            Role.GRID_WORKER, username="worker_a", regions=[grid_a], name="网格员甲"
        ),
        worker_b=make_person(
            Role.GRID_WORKER, username="worker_b", regions=[grid_b], name="网格员乙"
        ),
        resident=make_person(
            Role.RESIDENT, username="resident", name="居民赵女士", phone="13812345678"
        ),
    )
    return w


def report(world: SimpleNamespace, *, by: Person | None = None, **kw: Any) -> Case:
    """A case reported in grid A by its grid worker unless told otherwise."""
    defaults: dict[str, Any] = {
        "source": SOURCES_BY_ROLE[by.role][0] if by is not None else Source.PATROL,
        "category": world.category,
        "description": "国槐街路口占道经营，摊位堵塞人行道",
        "longitude": 114.605,
        "latitude": 33.605,
    }
    defaults.update(kw)
    user = (by or world.worker_a).user
    assert user is not None
    case, _created = reporting.report_case(actor=user, **defaults)
    return case


def drive(case: Case, world: SimpleNamespace, *steps: str) -> Case:
    """Walk a case through named steps with the usual actor for each (for setting up tests)."""
    for step in steps:
        case.refresh_from_db()
        v = case.version
        if step == "register":
            actions.register(case, actor=world.office.user, expected_version=v)
        elif step == "assign":
            actions.assign(case, actor=world.office.user, expected_version=v, unit=world.unit)
        elif step == "accept":
            actions.accept(case, actor=world.clerk.user, expected_version=v)
        elif step == "submit":
            actions.submit(
                case,
                actor=world.clerk.user,
                expected_version=v,
                note="已清理摊位",
                photos=[photo_upload()],
            )
        elif step == "verify_pass":
            actions.verify_pass(case, actor=world.inspector.user, expected_version=v)
        elif step == "verify_fail":
            actions.verify_fail(
                case, actor=world.inspector.user, expected_version=v, reason="仍有摊位"
            )
        elif step == "reply":
            actions.reply(case, actor=world.office.user, expected_version=v, text="已整改完毕")
        else:
            raise ValueError(step)
    case.refresh_from_db()
    return case


def big_png(width: int, height: int) -> bytes:
    """A PNG declaring width×height pixels in a few kilobytes (one bit per pixel, all black):
    the tester's decompression bomb."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


def build_city(w: SimpleNamespace) -> SimpleNamespace:
    """Put build_world()'s district under a city (周口市) and add a second, smaller district.

    After it, `w.office` and `w.inspector` work for 川汇区 only, `w.unit` belongs to 川汇区, and
    the second district (淮阳区) has its own office, inspector, unit, clerk, grid and grid
    worker (`w.district2`, `w.office2`, `w.inspector2`, `w.unit2`, `w.clerk2_district`,
    `w.grid2`, `w.worker2`); `w.city_office` (no region) sees the whole city.
    """
    city = make_region(code="411600", name="周口市", level=Region.Level.CITY)
    w.district.parent = city
    w.district.save()
    for name in ("street", "area", "grid_a", "grid_b"):
        getattr(w, name).refresh_from_db()
    district2 = make_region(code="411603", name="淮阳区", level=Region.Level.DISTRICT, parent=city)
    street2 = make_region(
        code="411603001", name="城关镇", level=Region.Level.STREET, parent=district2
    )
    area2 = make_region(
        code="411603001-01", name="城关片区", level=Region.Level.AREA, parent=street2
    )
    grid2 = make_region(
        code="411603001-01-001",
        name="龙湖网格",
        parent=area2,
        geometry=square(114.88, 33.73),
        households=80,
        residents=200,
    )
    Unit.objects.filter(pk__in=[w.unit.pk, w.other_unit.pk]).update(region=w.district)
    w.unit.refresh_from_db()
    w.other_unit.refresh_from_db()
    unit2 = make_unit(name="淮阳区城市管理局", code="HY-CGJ", region=district2)
    w.office.regions.set([w.district])
    w.inspector.regions.set([w.district])
    w.city = city
    w.district2 = district2
    w.street2 = street2
    w.area2 = area2
    w.grid2 = grid2
    w.unit2 = unit2
    w.city_office = make_person(Role.OFFICE, username="city_office", name="市创建办刘主任")
    w.office2 = make_person(
        Role.OFFICE, username="office_hy", regions=[district2], name="淮阳区创建办孙主任"
    )
    w.inspector2 = make_person(
        Role.INSPECTOR, username="inspector_hy", regions=[district2], name="淮阳区督查周科长"
    )
    w.clerk2_district = make_person(
        Role.UNIT_CLERK, username="clerk_hy", unit=unit2, name="淮阳城管联络员"
    )
    w.worker2 = make_person(
        Role.GRID_WORKER, username="worker_hy", regions=[grid2], name="淮阳网格员"
    )
    return w
