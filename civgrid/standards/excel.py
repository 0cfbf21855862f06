"""The framework sheet (测评体系表): one row per standard, read and checked, or written.

The layout offices keep: 项目编码, 测评项目, 内容编码, 测评内容, 标准编码, 测评标准, 分值,
点位类型, 牵头单位, 配合单位, 问题类别, 检查要点. English headers (item_code, item, content_code,
content, code, standard, points, site_kinds, lead_unit, co_units, category, questions) work too.

- 项目/内容 cells left empty repeat the row above (offices merge those cells); a code repeated
  with another name is an error.
- 点位类型 and 配合单位 take several values separated by 、 , ; or a new line; site kinds by the
  Chinese word (主次干道) or the stored value (main_road); units and categories by code or name.
- 检查要点: one checklist question per line.

Nothing here writes to the database: civgrid.standards.actions.import_framework writes a plan
without errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from civgrid.cases.models import Category
from civgrid.lib import xlsx
from civgrid.lib.importing import (
    UnreadableWorkbook,
    cell_text,
    open_workbook,
    read_table,
    sheet_named,
)
from civgrid.org.models import Unit
from civgrid.territory.models import Site

MAX_ROWS = 5_000
SHEET_NAMES = ("测评体系", "测评标准", "framework", "standards")
SHEET_TITLE = "测评体系"
MAX_POINTS = Decimal("9999.99")

# field -> (header in the sheet we write, other accepted headers)
COLUMNS: dict[str, tuple[str, ...]] = {
    "item_code": ("项目编码", "item_code", "测评项目编码"),
    "item_name": ("测评项目", "item", "item_name", "项目", "项目名称"),
    "content_code": ("内容编码", "content_code", "测评内容编码"),
    "content_name": ("测评内容", "content", "content_name", "内容", "内容名称"),
    "code": ("标准编码", "code", "standard_code", "测评标准编码"),
    "text": ("测评标准", "standard", "text", "标准", "标准内容"),
    "points": ("分值", "points", "分数", "标准分值"),
    "site_kinds": ("点位类型", "site_kinds", "点位", "测评点位"),
    "lead_unit": ("牵头单位", "lead_unit", "牵头责任单位"),
    "co_units": ("配合单位", "co_units", "协办单位", "配合责任单位"),
    "category": ("问题类别", "category", "类别"),
    "questions": ("检查要点", "questions", "checklist", "检查内容"),
}
REQUIRED = ("item_code", "content_code", "code", "text", "points")

# The Chinese word offices write for each kind of site (the sheet we write uses these).
SITE_KIND_LABELS: dict[str, str] = {
    Site.Kind.MAIN_ROAD: "主次干道",
    Site.Kind.BACK_ALLEY: "背街小巷",
    Site.Kind.URBAN_VILLAGE: "城中村",
    Site.Kind.MARKET: "农贸市场",
    Site.Kind.COMMUNITY: "社区/小区",
    Site.Kind.SCHOOL_SURROUNDINGS: "学校周边",
    Site.Kind.SERVICE_WINDOW: "窗口单位",
    Site.Kind.PARK: "公园广场",
    Site.Kind.ENTERPRISE: "企业",
    Site.Kind.NINE_SMALL: "九小场所",
    Site.Kind.TRANSPORT_HUB: "车站",
    Site.Kind.HOSPITAL: "医院",
    Site.Kind.PUBLIC_TOILET: "公厕",
}
SITE_KIND_ALIASES: dict[str, str] = {
    "主干道": Site.Kind.MAIN_ROAD,
    "次干道": Site.Kind.MAIN_ROAD,
    "主次干道": Site.Kind.MAIN_ROAD,
    "背街小巷": Site.Kind.BACK_ALLEY,
    "社区": Site.Kind.COMMUNITY,
    "小区": Site.Kind.COMMUNITY,
    "居民小区": Site.Kind.COMMUNITY,
    "社区（小区）": Site.Kind.COMMUNITY,
    "市场": Site.Kind.MARKET,
    "集贸市场": Site.Kind.MARKET,
    "学校": Site.Kind.SCHOOL_SURROUNDINGS,
    "窗口": Site.Kind.SERVICE_WINDOW,
    "窗口服务单位": Site.Kind.SERVICE_WINDOW,
    "公园": Site.Kind.PARK,
    "广场": Site.Kind.PARK,
    "车站": Site.Kind.TRANSPORT_HUB,
    "交通枢纽": Site.Kind.TRANSPORT_HUB,
    "公共厕所": Site.Kind.PUBLIC_TOILET,
}
_SPLIT = re.compile(r"[,，、;；\n\r]+")


@dataclass(frozen=True)
class Problem:
    """One line of the report: the row as Excel numbers it (the header is row 1)."""

    row: int | None
    code: str  # the standard code of the row, if any
    field: str
    message: str
    severity: str = "error"  # or "warning"

    @property
    def column(self) -> str:
        """The column as the sheet names it (测评标准), not the internal field name."""
        return COLUMNS[self.field][0] if self.field in COLUMNS else self.field


@dataclass
class StandardRow:
    """One checked row: everything resolved to database ids and stored values."""

    row: int
    item_code: str
    item_name: str
    content_code: str
    content_name: str
    code: str
    text: str
    points: Decimal
    site_kinds: list[str]
    lead_unit_id: int | None
    co_unit_ids: list[int]
    category_id: int | None
    questions: list[str]


@dataclass
class FrameworkPlan:
    rows: list[StandardRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def item_count(self) -> int:
        return len({r.item_code for r in self.rows})

    @property
    def content_count(self) -> int:
        return len({(r.item_code, r.content_code) for r in self.rows})

    @property
    def total_points(self) -> Decimal:
        return sum((r.points for r in self.rows), Decimal("0"))


# --- reading cells ----------------------------------------------------------------------


def split_values(value: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(value) if part.strip()]


def parse_site_kind(value: str) -> str | None:
    """A site kind from the Chinese word, the stored value or the full label."""
    text = value.strip()
    if text in Site.Kind.values:
        return text
    for kind, label in SITE_KIND_LABELS.items():
        if text == label:
            return kind
    if text in SITE_KIND_ALIASES:
        return SITE_KIND_ALIASES[text]
    for kind, full in Site.Kind.choices:
        english, _sep, chinese = str(full).partition(" (")
        if text.lower() in (str(full).lower(), english.lower(), chinese.rstrip(")")):
            return str(kind)
    return None


def parse_points(value: Any) -> Decimal | None:
    """Points as a number ≥ 0 with at most two decimals, or None when not such a number."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number > MAX_POINTS:
        return None
    if number != number.quantize(Decimal("0.01")):
        return None
    return number.quantize(Decimal("0.01"))


def questions_of(value: str) -> list[str]:
    return [line.strip() for line in value.replace("\r", "\n").split("\n") if line.strip()]


def load_workbook(data: bytes) -> tuple[Any, Problem | None]:
    try:
        return open_workbook(data), None
    except UnreadableWorkbook as exc:
        return None, Problem(None, "", "file", str(exc))


def find_sheet(workbook: Any) -> Any:
    """The sheet named 测评体系 (or framework, standards…), else the first sheet."""
    return sheet_named(workbook, SHEET_NAMES) or workbook.worksheets[0]


def _read_rows(ws: Any, problems: list[Problem]) -> list[tuple[int, dict[str, Any]]]:
    """The sheet's rows as {field: raw cell value}, with their Excel row numbers
    (civgrid.lib.importing.read_table finds the header under a title line)."""

    def report(row: int, field: str, message: str, severity: str) -> None:
        problems.append(Problem(row, "", field, message, severity))

    return read_table(ws, COLUMNS, REQUIRED, report, max_rows=MAX_ROWS, convert=lambda v: v)


# --- checking ---------------------------------------------------------------------------


class _Lookup:
    """Units or categories by code or by name, fetched in one query each."""

    def __init__(self, queryset: QuerySet[Any]) -> None:
        rows = list(queryset.values_list("pk", "code", "name"))
        self.by_code = {code: pk for pk, code, _name in rows}
        # A name two districts share (each has a 城市管理局) names no one: give the code.
        names: dict[str, list[int]] = {}
        for pk, _code, name in rows:
            names.setdefault(name, []).append(pk)
        self.by_name = {name: pks[0] for name, pks in names.items() if len(pks) == 1}

    def find(self, value: str) -> int | None:
        if value in self.by_code:
            return self.by_code[value]
        return self.by_name.get(value)


def validate_framework(workbook: Any) -> FrameworkPlan:
    """Check every row against the others and the database; writes nothing."""
    plan = FrameworkPlan()
    rows = _read_rows(find_sheet(workbook), plan.problems)
    if not rows and not plan.errors:
        plan.problems.append(Problem(None, "", "", _("The sheet has no standards.")))
        return plan
    units = _Lookup(Unit.objects.all())
    categories = _Lookup(Category.objects.all())
    item_names: dict[str, tuple[str, int]] = {}
    content_names: dict[tuple[str, str], tuple[str, int]] = {}
    first_code: dict[str, int] = {}
    previous: dict[str, str] = {}
    for number, raw in rows:
        r = {name: cell_text(raw.get(name)) for name in COLUMNS}
        code = r["code"]
        problems: list[Problem] = []

        def bad(field_name: str, message: str) -> None:
            problems.append(Problem(number, code, field_name, message))  # noqa: B023

        # 项目 and 内容: an empty pair repeats the row above (merged cells in office sheets).
        for level in ("item", "content"):
            code_key, name_key = f"{level}_code", f"{level}_name"
            if not r[code_key] and not r[name_key] and previous.get(code_key):
                r[code_key], r[name_key] = previous[code_key], previous[name_key]
        item_code, item_name = r["item_code"], r["item_name"]
        if not item_code:
            bad("item_code", _("An item code is required."))
        elif len(item_code) > 32:
            bad("item_code", _("At most 32 characters."))
        elif item_code in item_names:
            known, at = item_names[item_code]
            if not item_name:
                item_name = known
            elif item_name != known:
                bad(
                    "item_name",
                    _("Item %(code)s is named “%(name)s” in row %(row)d.")
                    % {"code": item_code, "name": known, "row": at},
                )
        elif not item_name:
            bad("item_name", _("An item name is required."))
        elif len(item_name) > 200:
            bad("item_name", _("At most 200 characters."))
        content_code, content_name = r["content_code"], r["content_name"]
        content_key = (item_code, content_code)
        if not content_code:
            bad("content_code", _("A content code is required."))
        elif len(content_code) > 32:
            bad("content_code", _("At most 32 characters."))
        elif content_key in content_names:
            known, at = content_names[content_key]
            if not content_name:
                content_name = known
            elif content_name != known:
                bad(
                    "content_name",
                    _("Content %(code)s is named “%(name)s” in row %(row)d.")
                    % {"code": content_code, "name": known, "row": at},
                )
        elif not content_name:
            bad("content_name", _("A content name is required."))
        elif len(content_name) > 200:
            bad("content_name", _("At most 200 characters."))
        if not code:
            bad("code", _("A standard code is required."))
        elif len(code) > 32:
            bad("code", _("At most 32 characters."))
        elif code in first_code:
            bad(
                "code",
                _("Standard code %(code)s appears more than once (first in row %(row)d).")
                % {"code": code, "row": first_code[code]},
            )
        if not r["text"]:
            bad("text", _("The wording of the standard is required."))
        points = None
        if not r["points"]:
            bad("points", _("The points are required."))
        else:
            points = parse_points(raw.get("points"))
            if points is None:
                bad(
                    "points",
                    _("“%(value)s” is not a number of points (0 to %(max)s, two decimals).")
                    % {"value": r["points"], "max": MAX_POINTS},
                )
        kinds: list[str] = []
        for token in split_values(r["site_kinds"]):
            kind = parse_site_kind(token)
            if kind is None:
                bad(
                    "site_kinds",
                    _("Unknown site kind “%(value)s”: use %(choices)s.")
                    % {"value": token, "choices": "、".join(SITE_KIND_LABELS.values())},
                )
            elif kind in kinds:
                bad("site_kinds", _("Site kind “%(value)s” is listed twice.") % {"value": token})
            else:
                kinds.append(kind)
        lead_id = None
        if r["lead_unit"]:
            lead_id = units.find(r["lead_unit"])
            if lead_id is None:
                bad("lead_unit", _("Unknown unit “%(value)s”.") % {"value": r["lead_unit"]})
        co_ids: list[int] = []
        for token in split_values(r["co_units"]):
            unit_id = units.find(token)
            if unit_id is None:
                bad("co_units", _("Unknown unit “%(value)s”.") % {"value": token})
            elif unit_id == lead_id:
                bad("co_units", _("“%(value)s” is already the lead unit.") % {"value": token})
            elif unit_id in co_ids:
                bad("co_units", _("Unit “%(value)s” is listed twice.") % {"value": token})
            else:
                co_ids.append(unit_id)
        category_id = None
        if r["category"]:
            category_id = categories.find(r["category"])
            if category_id is None:
                bad(
                    "category",
                    _("Unknown problem category “%(value)s”.") % {"value": r["category"]},
                )
        # Remember names and codes even from a faulty row, so later rows are judged fairly.
        if item_code and item_name and item_code not in item_names:
            item_names[item_code] = (item_name, number)
        if content_code and content_name and content_key not in content_names:
            content_names[content_key] = (content_name, number)
        if code and code not in first_code:
            first_code[code] = number
        previous.update(
            item_code=item_code,
            item_name=item_name,
            content_code=content_code,
            content_name=content_name,
        )
        plan.problems.extend(problems)
        if not problems and points is not None:
            plan.rows.append(
                StandardRow(
                    row=number,
                    item_code=item_code,
                    item_name=item_name,
                    content_code=content_code,
                    content_name=content_name,
                    code=code,
                    text=r["text"],
                    points=points,
                    site_kinds=kinds,
                    lead_unit_id=lead_id,
                    co_unit_ids=co_ids,
                    category_id=category_id,
                    questions=questions_of(r["questions"]),
                )
            )
    return plan


# --- writing ----------------------------------------------------------------------------

NOTES = (
    "每行一条测评标准；项目编码、内容编码、标准编码、测评标准、分值必填。",
    "项目、内容两列留空时沿用上一行（合并单元格亦可）。",
    "点位类型可填多个，用顿号、逗号或换行分隔：" + "、".join(SITE_KIND_LABELS.values()),
    "牵头单位、配合单位、问题类别填编码或名称，须为系统中已有的单位和类别。",
    "检查要点每行一条。",
    "表内任何一行有错误时整个文件都不导入；导入总是新建一个版本，原有版本保留。",
)


def points_cell(points: Decimal) -> int | float:
    """Points as Excel keeps numbers: 2 rather than 2.00."""
    return int(points) if points == points.to_integral_value() else float(points)


def standard_cells(standard: Any) -> list[Any]:
    """One standard as its sheet row (needs content__item, lead_unit, category, co_units and
    questions fetched)."""
    content = standard.content
    item = content.item
    co_units = standard.ordered_co_units()
    return [
        item.code,
        item.name,
        content.code,
        content.name,
        standard.code,
        standard.text,
        points_cell(standard.points),
        "、".join(SITE_KIND_LABELS.get(k, k) for k in standard.site_kinds),
        standard.lead_unit.name if standard.lead_unit else None,
        "、".join(u.name for u in co_units) or None,
        standard.category.name if standard.category else None,
        "\n".join(q.text for q in standard.questions.all()) or None,
    ]


def export_workbook(standards: QuerySet[Any]) -> bytes:
    """The standards as the sheet offices keep (the same layout the import reads)."""
    standards = (
        standards.select_related("content__item", "lead_unit", "category")
        .prefetch_related("co_unit_links__unit", "questions")
        .order_by(
            "content__item__order",
            "content__item__code",
            "content__order",
            "content__code",
            "order",
            "code",
        )
    )
    book = xlsx.new_workbook()
    widths = (10, 14, 10, 14, 10, 50, 6, 20, 16, 24, 14, 50)
    headers = [(aliases[0], width) for aliases, width in zip(COLUMNS.values(), widths, strict=True)]
    ws = xlsx.sheet(book, SHEET_TITLE, headers)
    for standard in standards:
        xlsx.append(ws, standard_cells(standard), wrap=True)
    xlsx.notes_sheet(book, NOTES)
    return xlsx.to_bytes(book)
