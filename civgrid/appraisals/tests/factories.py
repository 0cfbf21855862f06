"""Scheme workbooks and schemes for the tests."""

from __future__ import annotations

from typing import Any

from civgrid.appraisals import actions
from civgrid.appraisals.data import five_star_branch
from civgrid.appraisals.models import Scheme
from civgrid.lib import xlsx

POINT_HEADERS = [
    "星编码",
    "星/维度",
    "达标分",
    "内容编码",
    "考评内容",
    "要点编码",
    "评分要点",
    "分值",
    "佐证材料",
    "佐证类型",
    "一票否决",
]


def workbook(
    *,
    scheme: list[tuple[str, Any]] | None = None,
    points: list[list[Any]] | None = None,
    levels: list[list[Any]] | None = None,
    bands: list[list[Any]] | None = None,
) -> bytes:
    """A scheme workbook; by default a small 等次 scheme of the grid workers' yearly grade."""
    book = xlsx.new_workbook()
    ws = xlsx.sheet(book, "方案", [("项目", 14), ("内容", 40)])
    for row in scheme or [
        ("方案编码", "AQWGY"),
        ("方案名称", "安全网格员年度考核"),
        ("考评对象", "网格员"),
        ("评定规则", "等次"),
        ("配额等次", "1"),
        ("配额比例", "20"),
    ]:
        xlsx.append(ws, list(row))
    ws = xlsx.sheet(book, "考评标准", [(h, 12) for h in POINT_HEADERS])
    for row in points or [
        [
            "LZ",
            "履职尽责",
            "",
            "LZ1",
            "巡查检查",
            "LZ1-1",
            "按计划完成巡查",
            "40",
            "巡查记录",
            "文件",
            "否",
        ],
        ["", "", "", "", "", "LZ1-2", "隐患发现上报及时", "30", "", "", "否"],
        ["LZ", "履职尽责", "", "LZ2", "群众评价", "LZ2-1", "群众满意度", "30", "", "无", "否"],
        ["LZ", "", "", "LZ2", "", "LZ2-2", "发生安全生产责任事故", "0", "", "无", "是"],
    ]:
        xlsx.append(ws, row)
    ws = xlsx.sheet(book, "审核层级", [("顺序", 8), ("名称", 20), ("由谁", 14), ("单位", 20)])
    for row in levels or [["1", "个人述职", "自评", ""], ["2", "应急管理局考核", "创建办", ""]]:
        xlsx.append(ws, row)
    if bands != []:
        ws = xlsx.sheet(book, "等次", [("等次", 14), ("最低分", 10)])
        for row in bands or [["优秀", "90"], ["良好", "80"], ["合格", "60"], ["不合格", "0"]]:
            xlsx.append(ws, row)
    return xlsx.to_bytes(book)


def five_star_scheme(actor: Any = None, *, publish: bool = True) -> Scheme:
    result = actions.import_scheme(five_star_branch.workbook(), actor=actor)
    assert result.ok, result.problems
    assert result.scheme is not None
    if publish:
        return actions.publish_scheme(result.scheme, actor=actor)
    return result.scheme


BRANCH_HEADERS = [
    "支部编码",
    "支部名称",
    "类型",
    "所在区域",
    "上级党组织",
    "上级单位",
    "所属单位",
    "书记",
    "联系电话",
    "党员人数",
]


def branch_workbook(rows: list[list[Any]], headers: list[str] | None = None) -> bytes:
    book = xlsx.new_workbook()
    ws = xlsx.sheet(
        book, "党支部", [(h, 14) for h in headers or BRANCH_HEADERS], caption="七一路街道党支部名册"
    )
    for row in rows:
        xlsx.append(ws, row)
    return xlsx.to_bytes(book)


def make_branch(region: Any, **kw: Any) -> Any:
    from django.utils import timezone

    from civgrid.appraisals.models import PartyBranch

    n = PartyBranch.objects.count() + 1
    defaults: dict[str, Any] = {
        "code": f"DZB{n:03d}",
        "name": f"第{n}党支部",
        "kind": PartyBranch.Kind.ORGAN,
        "updated_at": timezone.now(),
    }
    defaults.update(kw)
    return PartyBranch.objects.create(region=region, **defaults)
