"""Small builders for the standards tests: sheets as lists of rows, units and categories."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook

from civgrid.demo.catalogue import CATEGORIES, UNITS
from civgrid.org.models import Unit
from civgrid.standards.excel import COLUMNS
from civgrid.testing import make_category

HEADER = [aliases[0] for aliases in COLUMNS.values()]


def xlsx(
    rows: list[list[Any]], *, header: list[str] | None = None, title: str = "测评体系"
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header if header is not None else HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cells(data: bytes) -> list[list[Any]]:
    """The first sheet's values, row by row, trailing empty cells dropped."""
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    out = []
    for values in ws.iter_rows(values_only=True):
        row = list(values)
        while row and row[-1] is None:
            row.pop()
        out.append(row)
    return out


def demo_units_and_categories() -> None:
    """The demo district's units and categories (what the sample framework refers to)."""
    existing = set(Unit.objects.values_list("code", flat=True))
    for code, name, kind in UNITS:
        if code not in existing:
            Unit.objects.create(code=code, name=name, kind=kind)
    from civgrid.cases.models import Category

    known = set(Category.objects.values_list("code", flat=True))
    for spec in CATEGORIES:
        if spec.code not in known:
            make_category(code=spec.code, name=spec.name)


# A small, valid sheet over the units of civgrid.testing.build_world (CGJ, SCJ; category ZDJY).
ROWS: list[list[Any]] = [
    [
        "01",
        "公共秩序",
        "01.01",
        "市容秩序",
        "01.01.01",
        "无占道经营、店外经营",
        3,
        "主次干道、背街小巷",
        "城市管理局",
        "市场监督管理局",
        "占道经营",
        "是否有流动摊贩\n是否出店经营",
    ],
    [
        "01",
        "公共秩序",
        "01.01",
        "市容秩序",
        "01.01.02",
        "户外广告设置规范",
        1.5,
        "主次干道",
        "城市管理局",
        None,
        None,
        "广告牌是否牢固",
    ],
    [
        "01",
        "公共秩序",
        "01.02",
        "市场秩序",
        "01.02.01",
        "农贸市场划行归市",
        2,
        "农贸市场",
        "市场监督管理局",
        "城市管理局",
        "占道经营",
        None,
    ],
    [
        "02",
        "公共服务",
        "02.01",
        "窗口服务",
        "02.01.01",
        "窗口亮牌服务",
        2,
        "窗口单位",
        None,
        None,
        None,
        "是否佩戴工作牌",
    ],
]
