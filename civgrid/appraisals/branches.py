"""Reading the party-branch register workbook (党支部名册) and checking every row.

One sheet (named 党支部 / branches, or the first) with the headers 支部编码, 支部名称, 类型
(机关/学校/村社区/两新), 所在区域 (a region code: grid, 片区, street or district), 上级党组织,
上级单位, 所属单位 (unit code or name), 书记, 联系电话, 党员人数. A branch whose code exists is
updated. Nothing here writes: civgrid.appraisals.actions.import_branches writes rows without
errors. Regions outside the importing office's scope are refused by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from civgrid.appraisals.models import PartyBranch
from civgrid.lib import xlsx
from civgrid.lib.importing import UnreadableWorkbook, open_workbook, read_table, sheet_named
from civgrid.org.models import Unit
from civgrid.org.scope import Scope
from civgrid.territory.models import Region

MAX_ROWS = 5_000
SHEETS = ("党支部", "branches", "党支部名册")
KIND_WORDS = {
    PartyBranch.Kind.ORGAN: "机关",
    PartyBranch.Kind.SCHOOL: "学校",
    PartyBranch.Kind.VILLAGE: "村社区",
    PartyBranch.Kind.TWO_NEW: "两新",
}
KIND_ALIASES = {
    "机关": PartyBranch.Kind.ORGAN,
    "区直机关": PartyBranch.Kind.ORGAN,
    "学校": PartyBranch.Kind.SCHOOL,
    "中小学校": PartyBranch.Kind.SCHOOL,
    "村社区": PartyBranch.Kind.VILLAGE,
    "村(社区)": PartyBranch.Kind.VILLAGE,
    "村（社区）": PartyBranch.Kind.VILLAGE,
    "村": PartyBranch.Kind.VILLAGE,
    "社区": PartyBranch.Kind.VILLAGE,
    "两新": PartyBranch.Kind.TWO_NEW,
    "两新组织": PartyBranch.Kind.TWO_NEW,
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("支部编码", "code", "编码"),
    "name": ("支部名称", "name", "党支部", "名称"),
    "kind": ("类型", "kind", "支部类型"),
    "region": ("所在区域", "region", "区域编码", "网格编码"),
    "parent_committee": ("上级党组织", "parent_committee", "上级党委"),
    "parent_unit": ("上级单位", "parent_unit", "审查单位"),
    "unit": ("所属单位", "unit", "单位"),
    "secretary": ("书记", "secretary", "支部书记"),
    "secretary_phone": ("联系电话", "secretary_phone", "phone", "电话"),
    "member_count": ("党员人数", "member_count", "members"),
}
REQUIRED = ("code", "name", "kind", "region")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{2,30}$")


@dataclass(frozen=True)
class Problem:
    row: int | None
    code: str
    field: str
    message: str
    severity: str = "error"

    @property
    def column(self) -> str:
        return COLUMNS[self.field][0] if self.field in COLUMNS else self.field


@dataclass
class BranchRow:
    row: int
    code: str
    values: dict[str, Any]


def load_workbook(data: bytes) -> tuple[Any, Problem | None]:
    try:
        return open_workbook(data), None
    except UnreadableWorkbook as exc:
        return None, Problem(None, "", "file", str(exc))


def parse_kind(value: str) -> str | None:
    text = value.strip().replace(" ", "")
    if text in PartyBranch.Kind.values:
        return text
    return KIND_ALIASES.get(text)


class _Units:
    def __init__(self) -> None:
        rows = list(Unit.objects.values_list("pk", "code", "name"))
        self.by = {code: pk for pk, code, _n in rows} | {name: pk for pk, _c, name in rows}

    def find(self, value: str) -> int | None:
        return self.by.get(value)


def validate_branches(workbook: Any, scope: Scope) -> tuple[list[BranchRow], list[Problem]]:
    """Check every row against the others, the database and the importer's scope."""
    problems: list[Problem] = []
    ws = sheet_named(workbook, SHEETS) or (workbook.worksheets[0] if workbook.worksheets else None)
    if ws is None:
        return [], [Problem(None, "", "sheet", _("The workbook has no sheet."))]

    def report(row: int, field: str, message: str, severity: str) -> None:
        problems.append(Problem(row, "", field, message, severity))

    rows = read_table(ws, COLUMNS, REQUIRED, report, max_rows=MAX_ROWS)
    codes = {r["region"] for _n, r in rows}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    units = _Units()
    first: dict[str, int] = {}
    out: list[BranchRow] = []
    for number, r in rows:
        row_problems: list[Problem] = []
        code = r["code"]

        def bad(name: str, message: str) -> None:
            row_problems.append(Problem(number, code, name, message))  # noqa: B023

        if not code:
            bad("code", _("A branch code is required."))
        elif len(code) > 40:
            bad("code", _("At most %(n)d characters.") % {"n": 40})
        elif code in first:
            bad(
                "code",
                _("Branch code %(code)s appears more than once (first in row %(row)d).")
                % {"code": code, "row": first[code]},
            )
        else:
            first[code] = number
        if not r["name"]:
            bad("name", _("A branch name is required."))
        elif len(r["name"]) > 200:
            bad("name", _("At most %(n)d characters.") % {"n": 200})
        kind = parse_kind(r["kind"])
        if kind is None:
            bad("kind", _("Write one of %(c)s.") % {"c": "、".join(KIND_WORDS.values())})
        region = regions.get(r["region"])
        if region is None:
            bad("region", _("Unknown region %(code)s.") % {"code": r["region"] or "—"})
        elif not scope.covers(region):
            bad("region", _("Region %(code)s is outside your district.") % {"code": region.code})
        values: dict[str, Any] = {
            "name": r["name"],
            "kind": kind,
            "region_id": region.pk if region else None,
        }
        for name in ("parent_unit", "unit"):
            if name in r:
                values[f"{name}_id"] = None
                if r[name]:
                    values[f"{name}_id"] = units.find(r[name])
                    if values[f"{name}_id"] is None:
                        bad(name, _("Unknown unit %(unit)s.") % {"unit": r[name]})
        for name, limit in (("parent_committee", 200), ("secretary", 50)):
            if name in r:
                if len(r[name]) > limit:
                    bad(name, _("At most %(n)d characters.") % {"n": limit})
                values[name] = r[name]
        if "secretary_phone" in r:
            phone = r["secretary_phone"]
            if phone and (len(phone) > 32 or not _PHONE.match(phone)):
                bad("secretary_phone", _("Not a phone number."))
            values["secretary_phone"] = phone
        if "member_count" in r:
            text = r["member_count"]
            if text and not (text.isdigit() and int(text) <= 100_000):
                bad("member_count", _("Give the number of members as a whole number."))
            else:
                values["member_count"] = int(text or 0)
        problems.extend(row_problems)
        if not row_problems:
            out.append(BranchRow(number, code, values))
    if not rows and not problems:
        problems.append(Problem(None, "", "", _("The sheet has no branches.")))
    return out, problems


def template_workbook() -> bytes:
    """An empty register with the Chinese headers, a 类型 drop-down and a notes sheet."""
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = xlsx.new_workbook(write_only=False)
    widths = {"name": 30, "parent_committee": 24}
    ws = xlsx.sheet(wb, "党支部", [(a[0], widths.get(f, 14)) for f, a in COLUMNS.items()])
    kinds = DataValidation(type="list", formula1='"' + ",".join(KIND_WORDS.values()) + '"')
    kinds.add("C2:C5000")
    ws.add_data_validation(kinds)
    xlsx.notes_sheet(
        wb,
        [
            "支部编码、支部名称、类型、所在区域必填；支部编码唯一，已有的支部会被更新",
            "类型填：机关、学校、村社区、两新",
            "所在区域填区域编码（网格、片区、街道或区），须在本区范围内",
            "上级单位、所属单位填单位编码或名称；上级单位的党委负责审查，所属单位人员不得参与验收评分",
            "表内任何一行有错误时整个文件都不导入",
        ],
        width=90,
    )
    return xlsx.to_bytes(wb)
