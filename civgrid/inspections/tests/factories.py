"""Test factories for inspections: a small evaluation framework built with the ORM."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from civgrid.inspections import actions
from civgrid.inspections.models import Inspection, InspectionSite, Kind
from civgrid.standards.models import ChecklistQuestion, Content, Framework, Item, Standard
from civgrid.territory.models import Site
from civgrid.testing import make_site

ROAD, MARKET, SCHOOL = Site.Kind.MAIN_ROAD, Site.Kind.MARKET, Site.Kind.SCHOOL_SURROUNDINGS


def make_framework(
    world: SimpleNamespace, code: str = "2026", *, current: bool = True
) -> SimpleNamespace:
    """Two items, three contents, four standards:

    - S1 (2 points) road + market, lead unit = world.unit (城管局), category ZDJY
    - S2 (3 points) road only, lead unit = world.other_unit (市监局), category ZDJY
    - S3 (5 points) market only, lead unit = world.other_unit
    - S4 (1 point) school only, no lead unit and no category (an unfinished framework)
    """
    fw = Framework.objects.create(code=code, name=f"测评体系{code}", is_current=current)
    i1 = Item.objects.create(framework=fw, code="01", name="城市环境", order=1)
    i2 = Item.objects.create(framework=fw, code="02", name="市场秩序", order=2)
    c1 = Content.objects.create(item=i1, code="01.01", name="道路整洁", order=1)
    c2 = Content.objects.create(item=i1, code="01.02", name="占道经营", order=2)
    c3 = Content.objects.create(item=i2, code="02.01", name="农贸市场", order=1)

    def standard(content: Content, code: str, points: str, kinds: list[str], **kw: Any):
        s = Standard.objects.create(
            content=content,
            framework=fw,
            code=code,
            text=f"标准{code}：检查内容",
            points=Decimal(points),
            site_kinds=kinds,
            order=int(code[1:]),
            **kw,
        )
        ChecklistQuestion.objects.create(standard=s, order=1, text=f"{code} 要点一")
        ChecklistQuestion.objects.create(standard=s, order=2, text=f"{code} 要点二")
        return s

    s1 = standard(c1, "S1", "2", [ROAD, MARKET], lead_unit=world.unit, category=world.category)
    s2 = standard(c2, "S2", "3", [ROAD], lead_unit=world.other_unit, category=world.category)
    s3 = standard(c3, "S3", "5", [MARKET], lead_unit=world.other_unit, category=world.category)
    s4 = standard(c3, "S4", "1", [SCHOOL])
    return SimpleNamespace(framework=fw, items=[i1, i2], s1=s1, s2=s2, s3=s3, s4=s4)


def plan(world: SimpleNamespace, fw: SimpleNamespace, sites: list[Site], **kw: Any) -> Inspection:
    defaults: dict[str, Any] = {
        "actor": world.office.user,
        "name": "第一轮模拟测评",
        "kind": Kind.UNANNOUNCED,
        "framework": fw.framework,
        "starts_on": dt.date(2026, 3, 2),
        "ends_on": dt.date(2026, 3, 6),
        "team": [world.inspector.user],
        "sites": sites,
    }
    defaults.update(kw)
    return actions.plan_inspection(**defaults).inspection


def site_of(inspection: Inspection, site: Site) -> InspectionSite:
    return InspectionSite.objects.get(inspection=inspection, site=site)


def two_sites(world: SimpleNamespace) -> tuple[Site, Site]:
    road = make_site(world.grid_a, kind=ROAD, name="交通路", longitude=114.605, latitude=33.605)
    market = make_site(
        world.grid_b, kind=MARKET, name="东方红市场", longitude=114.615, latitude=33.605
    )
    return road, market
