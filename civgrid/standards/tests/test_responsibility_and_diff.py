from decimal import Decimal

import pytest

from civgrid.standards.actions import import_framework
from civgrid.standards.diff import diff
from civgrid.standards.queries import responsibility_map, sites_for_standard
from civgrid.territory.models import Region, Site
from civgrid.testing import make_region, make_site, make_unit

from .helpers import ROWS, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory(world):
    """Grid A (area 1): 2 main roads, 1 market. Grid C (area 2): 1 back alley, 1 main road.
    No service window anywhere."""
    area2 = make_region(code="A2", name="第二片区", level=Region.Level.AREA, parent=world.street)
    grid_c = make_region(code="G-C", name="网格C", parent=area2)
    make_site(world.grid_a, kind=Site.Kind.MAIN_ROAD)
    make_site(world.grid_a, kind=Site.Kind.MAIN_ROAD)
    make_site(world.grid_a, kind=Site.Kind.MARKET)
    make_site(grid_c, kind=Site.Kind.BACK_ALLEY)
    make_site(grid_c, kind=Site.Kind.MAIN_ROAD)
    world.area2 = area2
    return world


def test_map_counts_sites_by_kind_and_flags_every_gap(territory):
    w = territory
    idle = make_unit(code="IDLE", name="闲置单位")
    fw = import_framework(xlsx(ROWS), actor=None, code="2026", name="n").framework
    result = responsibility_map(fw)
    by_code = {row.standard.code: row for row in result.rows}
    assert list(by_code) == ["01.01.01", "01.01.02", "01.02.01", "02.01.01"]
    first = by_code["01.01.01"]
    assert [(k.kind, k.sites) for k in first.kinds] == [("main_road", 3), ("back_alley", 1)]
    assert first.units == [w.unit, w.other_unit] and not first.has_gap
    assert [(k.kind, k.sites) for k in by_code["01.02.01"].kinds] == [("market", 1)]
    window = by_code["02.01.01"]
    assert window.no_lead and window.has_gap and window.sites == 0
    assert [s.code for s in result.standards_without_lead] == ["02.01.01"]
    assert [(g.kind, g.standards) for g in result.kinds_without_sites] == [
        ("service_window", ("02.01.01",))
    ]
    assert result.units_without_standards == [idle]
    assert result.gap_count == 3


def test_map_under_an_area_counts_only_its_sites(territory):
    w = territory
    fw = import_framework(xlsx(ROWS), actor=None, code="2026", name="n").framework
    result = responsibility_map(fw, region=w.area2)
    first = result.rows[0]
    assert [(k.kind, k.sites) for k in first.kinds] == [("main_road", 1), ("back_alley", 1)]
    assert [g.kind for g in result.kinds_without_sites] == ["market", "service_window"]
    assert [g.kind for g in responsibility_map(fw, region=w.area).kinds_without_sites] == [
        "back_alley",
        "service_window",
    ]
    assert len(sites_for_standard(first.standard, w.area2)) == 2
    assert len(sites_for_standard(first.standard, w.area)) == 2
    assert len(sites_for_standard(first.standard)) == 4


def test_map_filtered_by_unit_keeps_its_lead_and_co_standards(territory):
    w = territory
    fw = import_framework(xlsx(ROWS), actor=None, code="2026", name="n").framework
    rows = responsibility_map(fw, unit=w.other_unit).rows
    assert [r.standard.code for r in rows] == ["01.01.01", "01.02.01"]
    clerk_map = responsibility_map(fw, user=w.other_clerk.user)
    assert [r.standard.code for r in clerk_map.rows] == ["01.01.01", "01.02.01"]
    assert clerk_map.units_without_standards == []  # a clerk is not shown other units


def test_diff_lists_added_removed_and_changed_standards_by_code(world):
    old = import_framework(xlsx(ROWS), actor=None, code="2025", name="旧版").framework
    rows = [list(r) for r in ROWS]
    rows[0][6] = 4  # points 3 -> 4
    rows[0][7] = "背街小巷、主次干道"  # same kinds, other order: not a change
    rows[0][9] = None  # co-unit removed
    rows[1][11] = "广告牌是否牢固\n是否有审批"  # a question added
    rows[2][8] = "城市管理局"  # lead unit changed...
    rows[2][9] = "市场监督管理局"  # ...and swapped with the co-unit
    del rows[3]  # 02.01.01 removed
    rows.append(
        [
            "02",
            "公共服务",
            "02.01",
            "窗口服务",
            "02.01.09",
            "新增标准",
            1,
            None,
            None,
            None,
            None,
            None,
        ]
    )
    new = import_framework(xlsx(rows), actor=None, code="2026", name="新版").framework
    result = diff(old, new)
    assert [s.code for s in result.added] == ["02.01.09"]
    assert [s.code for s in result.removed] == ["02.01.01"]
    changes = {c.code: {f.field: (f.old, f.new) for f in c.changes} for c in result.changed}
    assert changes == {
        "01.01.01": {"points": ("3", "4"), "co_units": ("市场监督管理局", "")},
        "01.01.02": {"questions": ("广告牌是否牢固", "广告牌是否牢固\n是否有审批")},
        "01.02.01": {
            "lead_unit": ("市场监督管理局", "城市管理局"),
            "co_units": ("城市管理局", "市场监督管理局"),
        },
    }
    assert result.unchanged == 0
    assert result.points_delta == Decimal("1") - Decimal("2") + Decimal("1")
    assert diff(old, old).is_empty
