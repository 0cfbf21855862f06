"""Reading the enterprise register workbook (企业导入表) and checking every row.

One sheet (the first, or one named 企业 / enterprises) with the headers 名称, 类型, 地址
(required), 统一社会信用代码, 网格编码, 点位编码, 经度, 纬度, 监管单位, 法定代表人, 法人电话,
安全负责人, 安全负责人电话, 从业人数, 面积, 座位数, 床位数 (English: name, kind, address,
credit_code, grid_code, site_code, longitude, latitude, regulator, legal_person, legal_phone,
safety_person, safety_phone, staff, floor_area, seats, beds). The grid comes from 网格编码, the
site's grid or the point, which must agree. A column left out of the sheet keeps what is stored.
Nothing here writes: civgrid.enterprises.actions.import_enterprises writes rows without errors.
The same checks serve the page's form (`check_row`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from civgrid.enterprises import creditcode
from civgrid.enterprises.models import ENTERPRISE_KINDS, Kind
from civgrid.lib import xlsx
from civgrid.lib.importing import UnreadableWorkbook, open_workbook, read_table, sheet_named
from civgrid.org.models import Unit
from civgrid.org.scope import Scope
from civgrid.territory.models import Region, Site
from civgrid.territory.queries import locate_grid, point_outside

__all__ = [
    "COLUMNS",
    "EnterpriseRow",
    "Problem",
    "check_row",
    "load_workbook",
    "parse_kind",
    "template_workbook",
    "validate_enterprises",
]

MAX_ROWS = 20_000
SHEETS = ("enterprises", "企业", "企业信息", "一企一档")

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "name", "企业名称", "场所名称", "单位名称"),
    "kind": ("类型", "kind", "企业类型", "场所类型"),
    "address": ("地址", "address", "经营地址", "详细地址"),
    "credit_code": ("统一社会信用代码", "credit_code", "信用代码", "社会信用代码"),
    "grid_code": ("网格编码", "grid_code", "网格", "grid"),
    "site_code": ("点位编码", "site_code", "点位"),
    "longitude": ("经度", "longitude", "lon"),
    "latitude": ("纬度", "latitude", "lat"),
    "regulator": ("监管单位", "regulator", "监管单位编码", "行业主管部门"),
    "legal_person": ("法定代表人", "legal_person", "法人", "负责人"),
    "legal_phone": ("法人电话", "legal_phone", "法定代表人电话", "负责人电话"),
    "safety_person": ("安全负责人", "safety_person", "安全管理人"),
    "safety_phone": ("安全负责人电话", "safety_phone", "安全管理人电话"),
    "staff": ("从业人数", "staff", "员工人数", "职工人数"),
    "floor_area": ("面积", "floor_area", "建筑面积", "营业面积", "面积(㎡)"),
    "seats": ("座位数", "seats", "餐位数"),
    "beds": ("床位数", "beds", "床位"),
}
REQUIRED = ("name", "kind", "address")
# The columns that are the enterprise's own fields (the place columns become grid and site).
PLAIN_FIELDS = ("legal_person", "legal_phone", "safety_person", "safety_phone")
NUMBER_FIELDS = ("staff", "seats", "beds")
MAX_COUNT = 1_000_000
MAX_AREA = Decimal("99999999.9")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{2,30}$")

# What offices write in the 类型 column: the short Chinese name, the label, or the code.
KIND_ALIASES: dict[str, str] = {
    "规上企业": Kind.ABOVE_SCALE,
    "规模以上企业": Kind.ABOVE_SCALE,
    "微型企业": Kind.MICRO,
    "小微企业": Kind.MICRO,
    "小商店": Kind.SMALL_SHOP,
    "小商场": Kind.SMALL_SHOP,
    "小餐饮": Kind.SMALL_EATERY,
    "小餐饮场所": Kind.SMALL_EATERY,
    "小旅馆": Kind.SMALL_HOTEL,
    "小网吧": Kind.SMALL_INTERNET_CAFE,
    "网吧": Kind.SMALL_INTERNET_CAFE,
    "小美容洗浴": Kind.SMALL_BEAUTY_BATH,
    "小美容洗浴场所": Kind.SMALL_BEAUTY_BATH,
    "小歌舞娱乐": Kind.SMALL_ENTERTAINMENT,
    "小歌舞娱乐场所": Kind.SMALL_ENTERTAINMENT,
    "小学校幼儿园": Kind.SMALL_SCHOOL,
    "小学校": Kind.SMALL_SCHOOL,
    "幼儿园": Kind.SMALL_SCHOOL,
    "培训机构": Kind.SMALL_SCHOOL,
    "小医院诊所": Kind.SMALL_CLINIC,
    "小医院": Kind.SMALL_CLINIC,
    "诊所": Kind.SMALL_CLINIC,
    "小生产加工": Kind.SMALL_WORKSHOP,
    "小生产加工企业": Kind.SMALL_WORKSHOP,
    "小作坊": Kind.SMALL_WORKSHOP,
}


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
class EnterpriseRow:
    """One checked row: `data` holds the model fields to write (only the columns given)."""

    row: int
    name: str
    address: str
    credit_code: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.credit_code or self.name

    def values(self) -> dict[str, Any]:
        return {"name": self.name, "address": self.address, **self.data}


def load_workbook(data: bytes) -> tuple[Any, Problem | None]:
    try:
        return open_workbook(data), None
    except UnreadableWorkbook as exc:
        return None, Problem(None, "", "file", str(exc))


def parse_kind(text: str) -> str | None:
    value = text.strip()
    if value in Kind.values:
        return value
    if value in KIND_ALIASES:
        return KIND_ALIASES[value]
    for kind in Kind:
        if value and value == str(kind.label):
            return kind.value
    return None


@dataclass
class Lookups:
    """The grids, sites and units the rows name, fetched once for the whole sheet."""

    grids: dict[str, Region]
    sites: dict[str, Site]
    units: dict[str, Unit]

    @classmethod
    def for_rows(cls, rows: list[dict[str, str]]) -> Lookups:
        grid_codes = {r.get("grid_code", "") for r in rows} - {""}
        site_codes = {r.get("site_code", "") for r in rows} - {""}
        unit_keys = {r.get("regulator", "") for r in rows} - {""}
        grids = {g.code: g for g in Region.objects.filter(code__in=grid_codes)}
        sites = {s.code: s for s in Site.objects.filter(code__in=site_codes).select_related("grid")}
        units: dict[str, Unit] = {}
        for unit in Unit.objects.filter(Q(code__in=unit_keys) | Q(name__in=unit_keys)):
            units[unit.code] = unit
            units[unit.name] = unit
        return cls(grids, sites, units)


def check_row(
    number: int, r: dict[str, str], lookups: Lookups, scope: Scope | None
) -> tuple[EnterpriseRow | None, list[Problem]]:
    """Check one row (a dict of the columns given, as text); the row to write, or None and
    its problems. `scope` None: the command line, every grid."""
    problems: list[Problem] = []
    name = r.get("name", "").strip()
    credit = creditcode.normalize(r.get("credit_code", ""))

    def bad(column: str, message: str) -> None:
        problems.append(Problem(number, credit or name, column, message))

    if not name:
        bad("name", _("A name is required."))
    elif len(name) > 100:
        bad("name", _("At most %(n)d characters.") % {"n": 100})
    kind = parse_kind(r.get("kind", ""))
    if kind is None:
        bad("kind", _("Unknown kind “%(value)s”.") % {"value": r.get("kind", "")})
    address = r.get("address", "").strip()
    if not address:
        bad("address", _("An address is required."))
    elif len(address) > 255:
        bad("address", _("At most %(n)d characters.") % {"n": 255})
    if credit and not creditcode.is_valid(credit):
        bad(
            "credit_code",
            _("%(code)s is not a valid unified social credit code (check character).")
            % {"code": credit},
        )
    elif not credit and kind in ENTERPRISE_KINDS and "credit_code" in r:
        bad("credit_code", _("An enterprise needs its unified social credit code."))
    data: dict[str, Any] = {"kind": kind}
    if "credit_code" in r:
        data["credit_code"] = credit
    grid, site = _place(r, lookups, scope, bad)
    data["grid_id"] = grid.pk if grid is not None else None
    if "site_code" in r:
        data["site_id"] = site.pk if site is not None else None
    for coordinate in ("longitude", "latitude"):
        if coordinate in r:
            data[coordinate] = _float(r[coordinate])
    if "regulator" in r:
        key = r["regulator"].strip()
        unit = lookups.units.get(key) if key else None
        if key and unit is None:
            bad("regulator", _("Unknown unit %(unit)s.") % {"unit": key})
        elif unit is not None and scope is not None and not scope.covers_unit(unit):
            bad("regulator", _("%(unit)s does not work in your district.") % {"unit": key})
        data["regulator_id"] = unit.pk if unit is not None else None
    for name_field in PLAIN_FIELDS:
        if name_field not in r:
            continue
        value = r[name_field].strip()
        if name_field.endswith("_phone"):
            if value and (len(value) > 32 or not _PHONE.match(value)):
                bad(name_field, _("Not a phone number."))
        elif len(value) > 50:
            bad(name_field, _("At most %(n)d characters.") % {"n": 50})
        data[name_field] = value
    for count_field in NUMBER_FIELDS:
        if count_field not in r:
            continue
        text = r[count_field].strip()
        if not text:
            data[count_field] = None
        elif text.isdigit() and int(text) <= MAX_COUNT:
            data[count_field] = int(text)
        else:
            bad(count_field, _("Give a whole number from 0 to %(n)d.") % {"n": MAX_COUNT})
    if "floor_area" in r:
        text = r["floor_area"].strip()
        try:
            area = Decimal(text).quantize(Decimal("0.1")) if text else None
        except InvalidOperation:
            area = Decimal(-1)
        if area is not None and not (0 <= area <= MAX_AREA):
            bad("floor_area", _("Give the floor area in m² as a number."))
        else:
            data["floor_area"] = area
    if problems:
        return None, problems
    return EnterpriseRow(number, name, address, credit, data), []


def _float(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return None


def _place(
    r: dict[str, str], lookups: Lookups, scope: Scope | None, bad: Any
) -> tuple[Region | None, Site | None]:
    """The grid (and site) of a row: from 网格编码, the site or the point, which must agree."""
    grid: Region | None = None
    site: Site | None = None
    grid_code = r.get("grid_code", "").strip()
    if grid_code:
        grid = lookups.grids.get(grid_code)
        if grid is None:
            bad("grid_code", _("Unknown grid %(code)s.") % {"code": grid_code})
            return None, None
        if grid.level != Region.Level.GRID:
            bad("grid_code", _("%(code)s is not a grid.") % {"code": grid_code})
            return None, None
    site_code = r.get("site_code", "").strip()
    if site_code:
        site = lookups.sites.get(site_code)
        if site is None:
            bad("site_code", _("Unknown site %(code)s.") % {"code": site_code})
            return None, None
        if grid is not None and site.grid_id != grid.pk:
            bad("site_code", _("Site %(code)s lies in another grid.") % {"code": site_code})
            return None, None
        grid = site.grid
    lon_text, lat_text = r.get("longitude", "").strip(), r.get("latitude", "").strip()
    if lon_text or lat_text:
        lon, lat = _float(lon_text), _float(lat_text)
        if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            bad("longitude", _("Give both longitude and latitude as decimal degrees."))
            return None, None
        if grid is None:
            grid = locate_grid(lon, lat)
            if grid is None:
                bad("longitude", _("The point is outside every grid."))
                return None, None
        elif point_outside(grid, lon, lat):
            bad("longitude", _("The point lies outside grid %(grid)s.") % {"grid": grid.name})
            return None, None
    if grid is None:
        bad("grid_code", _("Give a grid code, a site code or the coordinates."))
        return None, None
    if scope is not None and not scope.covers(grid):
        bad("grid_code", _("Grid %(grid)s is outside your district.") % {"grid": grid.code})
        return None, None
    return grid, site


def validate_enterprises(
    workbook: Any, *, scope: Scope | None
) -> tuple[list[EnterpriseRow], list[Problem]]:
    """Check every row against the others and the database; writes nothing."""
    problems: list[Problem] = []
    ws = sheet_named(workbook, SHEETS) or (workbook.worksheets[0] if workbook.worksheets else None)
    if ws is None:
        return [], [Problem(None, "", "sheet", _("The workbook has no sheet."))]

    def report(row: int, column: str, message: str, severity: str) -> None:
        problems.append(Problem(row, "", column, message, severity))

    rows = read_table(ws, COLUMNS, REQUIRED, report, max_rows=MAX_ROWS)
    lookups = Lookups.for_rows([r for _n, r in rows])
    first: dict[str, int] = {}
    out: list[EnterpriseRow] = []
    for number, r in rows:
        checked, row_problems = check_row(number, r, lookups, scope)
        if checked is not None:
            key = checked.credit_code or f"{checked.name}\n{checked.address}"
            if key in first:
                row_problems.append(
                    Problem(
                        number,
                        checked.label,
                        "credit_code" if checked.credit_code else "name",
                        _("This enterprise appears more than once (first in row %(row)d).")
                        % {"row": first[key]},
                    )
                )
            else:
                first[key] = number
                out.append(checked)
        problems.extend(row_problems)
    return out, problems


def template_workbook() -> bytes:
    """An empty register with the Chinese headers, a 类型 drop-down and a notes sheet."""
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = xlsx.new_workbook(write_only=False)  # drop-down lists need a normal workbook
    widths = {"name": 28, "address": 30, "credit_code": 22}
    ws = xlsx.sheet(wb, "企业", [(a[0], widths.get(f, 14)) for f, a in COLUMNS.items()])
    kinds = DataValidation(
        type="list",
        formula1='"规上企业,微型企业,小商店,小餐饮,小旅馆,小网吧,小美容洗浴,小歌舞娱乐,'
        '小学校幼儿园,小医院诊所,小生产加工"',
    )
    kinds.add("B2:B20000")
    ws.add_data_validation(kinds)
    xlsx.notes_sheet(
        wb,
        [
            "名称、类型、地址必填；规上企业和微型企业须填统一社会信用代码（18位，校验位按GB 32100检查）",
            "位置：填网格编码、点位编码或经纬度之一；同时填写时须一致",
            "已有的企业按统一社会信用代码更新；无代码的场所按名称和地址更新",
            "监管单位填单位编码或名称；电话仅对本单位、创建办和督查可见，网格员看到的是隐去中间四位的号码",
            "表内任何一行有错误时整个文件都不导入",
        ],
        width=90,
    )
    return xlsx.to_bytes(wb)
