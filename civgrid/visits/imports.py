"""Reading the household register workbook (住户导入表) and checking every row.

One sheet (the first, or one named 住户 / households) with the headers 户编码, 网格编码, 地址,
户主, 联系电话, 人数, 80岁以上, 独居, 低保, 残疾 (English: code, grid_code, address, head_name,
phone, residents_count, aged_80_plus, living_alone, low_income, disabled). Flags are 是/否
(also √, Y/N, 1/0, true/false; empty is 否). A column left out of the sheet keeps what is
stored. Nothing here writes: civgrid.visits.actions.import_households writes rows without errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from civgrid.lib import xlsx
from civgrid.lib.importing import UnreadableWorkbook, open_workbook, read_table, sheet_named
from civgrid.territory.models import Region
from civgrid.visits.models import Household

__all__ = ["HouseholdRow", "Problem", "load_workbook", "template_workbook", "validate_households"]

MAX_ROWS = 50_000
SHEETS = ("households", "住户", "住户信息")

COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("户编码", "code", "household_code", "编码"),
    "grid_code": ("网格编码", "grid_code", "网格", "grid"),
    "address": ("地址", "address", "住址", "门牌"),
    "head_name": ("户主", "head_name", "户主姓名"),
    "phone": ("联系电话", "phone", "电话", "手机号"),
    "residents_count": ("人数", "residents_count", "residents", "家庭人数", "人口数"),
    "aged_80_plus": ("80岁以上", "aged_80_plus", "80岁以上老人", "高龄"),
    "living_alone": ("独居", "living_alone", "独居老人"),
    "low_income": ("低保", "low_income", "低保户"),
    "disabled": ("残疾", "disabled", "残疾人"),
}
REQUIRED = ("code", "grid_code", "address")
YES = {"是", "√", "✓", "y", "yes", "true", "1", "有"}
NO = {"", "否", "×", "n", "no", "false", "0", "无"}
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{2,30}$")


@dataclass(frozen=True)
class Problem:
    """One line of the report: the Excel row (row 1 is the header) and the column at fault."""

    row: int | None
    code: str
    field: str
    message: str
    severity: str = "error"

    @property
    def column(self) -> str:
        return COLUMNS[self.field][0] if self.field in COLUMNS else self.field


@dataclass
class HouseholdRow:
    """One checked row. None: the sheet has no such column, keep what is stored."""

    FLAGS: ClassVar[tuple[str, ...]] = ("aged_80_plus", "living_alone", "low_income", "disabled")

    row: int
    code: str
    grid_id: int
    address: str
    head_name: str | None
    phone: str | None
    residents_count: int | None
    aged_80_plus: bool | None
    living_alone: bool | None
    low_income: bool | None
    disabled: bool | None

    def values(self) -> dict[str, Any]:
        names = ["grid_id", "address", "head_name", "phone", "residents_count", *self.FLAGS]
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}


def load_workbook(data: bytes) -> tuple[Any, Problem | None]:
    try:
        return open_workbook(data), None
    except UnreadableWorkbook as exc:
        return None, Problem(None, "", "file", str(exc))


def parse_flag(value: str) -> bool | None:
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def _read(ws: Any, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    def report(row: int, field: str, message: str, severity: str) -> None:
        problems.append(Problem(row, "", field, message, severity))

    return read_table(ws, COLUMNS, REQUIRED, report, max_rows=MAX_ROWS)


def validate_households(
    workbook: Any, scope: Any = None
) -> tuple[list[HouseholdRow], list[Problem]]:
    """Check every row against the others and the database; writes nothing. `scope` (a
    civgrid.org.scope.Scope) is the importer's: a district office imports households of its
    district's grids only, and cannot overwrite another district's household by its code."""
    problems: list[Problem] = []
    ws = sheet_named(workbook, SHEETS) or (workbook.worksheets[0] if workbook.worksheets else None)
    if ws is None:
        return [], [Problem(None, "", "sheet", _("The workbook has no sheet."))]
    rows = _read(ws, problems)
    grid_codes = {r["grid_code"] for _n, r in rows}
    regions = {
        code: (pk, level)
        for code, pk, level in Region.objects.filter(code__in=grid_codes).values_list(
            "code", "pk", "level"
        )
    }
    outside_grids: set[str] = set()
    foreign: set[str] = set()
    if scope is not None and not scope.is_everything:
        outside_grids = set(
            Region.objects.filter(code__in=grid_codes)
            .exclude(scope.q(""))
            .values_list("code", flat=True)
        )
        foreign = set(
            Household.objects.filter(code__in=[r["code"] for _n, r in rows])
            .exclude(scope.q("grid"))
            .values_list("code", flat=True)
        )
    first: dict[str, int] = {}
    out: list[HouseholdRow] = []
    for number, r in rows:
        row_problems: list[Problem] = []
        code = r["code"]
        if code in foreign:
            row_problems.append(
                Problem(
                    number,
                    code,
                    "code",
                    _("Household %(code)s belongs to another district.") % {"code": code},
                )
            )

        def bad(name: str, message: str) -> None:
            row_problems.append(Problem(number, code, name, message))  # noqa: B023

        if not code:
            bad("code", _("A household code is required."))
        elif len(code) > 40:
            bad("code", _("At most %(n)d characters.") % {"n": 40})
        elif code in first:
            bad(
                "code",
                _("Household code %(code)s appears more than once (first in row %(row)d).")
                % {"code": code, "row": first[code]},
            )
        else:
            first[code] = number
        grid = regions.get(r["grid_code"])
        if not r["grid_code"]:
            bad("grid_code", _("A grid code is required."))
        elif grid is None:
            bad("grid_code", _("Unknown grid %(code)s.") % {"code": r["grid_code"]})
        elif grid[1] != Region.Level.GRID:
            bad("grid_code", _("%(code)s is not a grid.") % {"code": r["grid_code"]})
        elif r["grid_code"] in outside_grids:
            bad(
                "grid_code",
                _("%(code)s lies outside your district.") % {"code": r["grid_code"]},
            )
        address = r["address"]
        if not address:
            bad("address", _("An address is required."))
        elif len(address) > 255:
            bad("address", _("At most %(n)d characters.") % {"n": 255})
        head = r.get("head_name")
        if head is not None and len(head) > 50:
            bad("head_name", _("At most %(n)d characters.") % {"n": 50})
        phone = r.get("phone")
        if phone and (len(phone) > 32 or not _PHONE.match(phone)):
            bad("phone", _("Not a phone number."))
        count: int | None = None
        if "residents_count" in r:
            text = r["residents_count"]
            if not text:
                count = 1
            elif text.isdigit() and 0 < int(text) <= 100:
                count = int(text)
            else:
                bad(
                    "residents_count",
                    _("Give the number of residents as a whole number from 1 to 100."),
                )
        flags: dict[str, bool | None] = {}
        for name in HouseholdRow.FLAGS:
            if name not in r:
                flags[name] = None
                continue
            value = parse_flag(r[name])
            if value is None:
                bad(name, _("Write 是 or 否, not “%(value)s”.") % {"value": r[name]})
            flags[name] = value
        problems.extend(row_problems)
        if not row_problems and grid is not None:
            out.append(
                HouseholdRow(
                    number,
                    code,
                    grid[0],
                    address,
                    head,
                    phone,
                    count,
                    flags["aged_80_plus"],
                    flags["living_alone"],
                    flags["low_income"],
                    flags["disabled"],
                )
            )
    return out, problems


def template_workbook() -> bytes:
    """An empty register with the Chinese headers, 是/否 drop-downs and a notes sheet."""
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = xlsx.new_workbook(write_only=False)  # drop-down lists need a normal workbook
    widths = {"address": 30}
    ws = xlsx.sheet(wb, "住户", [(a[0], widths.get(f, 14)) for f, a in COLUMNS.items()])
    yes_no = DataValidation(type="list", formula1='"是,否"')
    yes_no.add("G2:J20000")
    ws.add_data_validation(yes_no)
    xlsx.notes_sheet(
        wb,
        [
            "户编码、网格编码、地址必填；户编码全区唯一，已有的户编码会被更新",
            "网格编码须是已导入的网格；人数为整数，不填按1人计",
            "80岁以上、独居、低保、残疾填“是”或“否”，不填按“否”计",
            "表内任何一行有错误时整个文件都不导入",
        ],
        width=80,
    )
    return xlsx.to_bytes(wb)
