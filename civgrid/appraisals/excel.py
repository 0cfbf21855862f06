"""The scheme workbook (考评方案表): a scheme read and checked from Excel, or written to it.

Four sheets, Chinese headers first (English accepted):
- 方案 (scheme): two columns 项目 | 内容, rows 方案编码, 方案名称, 考评对象 (党支部, 网格员, 单位,
  家庭, 志愿者), 评定规则 (星级 or 等次), 配额等次 (stars, or band place from the top),
  配额比例 (%), 说明;
- 考评标准 (criteria): one row per scoring point — 星编码, 星/维度, 达标分, 内容编码, 考评内容,
  要点编码, 评分要点, 分值, 佐证材料, 佐证类型 (无/文件/照片/文件或照片), 一票否决 (是/否). Star
  and criterion cells left empty repeat the row above (offices merge them);
- 审核层级 (levels): 顺序, 名称, 由谁 (自评, 上级审查, 指定单位, 考评验收组, 创建办), 单位;
- 等次 (bands, for 等次 schemes): 等次, 最低分.

Nothing here writes: civgrid.appraisals.actions.import_scheme writes a plan without errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from civgrid.appraisals.models import (
    EvidenceKind,
    GradingRule,
    ReviewLevel,
    Scheme,
    SubjectKind,
)
from civgrid.lib import xlsx
from civgrid.lib.importing import (
    UnreadableWorkbook,
    open_workbook,
    read_table,
    sheet_named,
)
from civgrid.org.models import Unit

MAX_ROWS = 2_000
MAX_POINTS = Decimal("9999.99")
YES = {"是", "√", "✓", "y", "yes", "true", "1"}
NO = {"", "否", "×", "n", "no", "false", "0"}

SUBJECT_WORDS = {
    SubjectKind.PARTY_BRANCH: "党支部",
    SubjectKind.GRID_WORKER: "网格员",
    SubjectKind.UNIT: "单位",
    SubjectKind.HOUSEHOLD: "家庭",
    SubjectKind.VOLUNTEER: "志愿者",
}
RULE_WORDS = {GradingRule.STARS: "星级", GradingRule.BANDS: "等次"}
EVIDENCE_WORDS = {
    EvidenceKind.NONE: "无",
    EvidenceKind.DOCUMENT: "文件",
    EvidenceKind.PHOTO: "照片",
    EvidenceKind.ANY: "文件或照片",
}
BY_WORDS = {
    ReviewLevel.By.SUBJECT: "自评",
    ReviewLevel.By.PARENT: "上级审查",
    ReviewLevel.By.UNIT: "指定单位",
    ReviewLevel.By.PANEL: "考评验收组",
    ReviewLevel.By.OFFICE: "创建办",
}

SCHEME_SHEETS = ("方案", "scheme")
POINT_SHEETS = ("考评标准", "criteria", "points")
LEVEL_SHEETS = ("审核层级", "levels")
BAND_SHEETS = ("等次", "bands")

SCHEME_COLUMNS = {"key": ("项目", "key"), "value": ("内容", "value")}
SCHEME_KEYS = {
    "code": ("方案编码", "code"),
    "name": ("方案名称", "name"),
    "subject_kind": ("考评对象", "subject_kind"),
    "rule": ("评定规则", "rule"),
    "quota_rank": ("配额等次", "quota_rank"),
    "quota_percent": ("配额比例", "quota_percent"),
    "description": ("说明", "description"),
}
POINT_COLUMNS: dict[str, tuple[str, ...]] = {
    "dimension_code": ("星编码", "dimension_code", "维度编码"),
    "dimension_name": ("星/维度", "dimension", "dimension_name", "星", "维度"),
    "pass_mark": ("达标分", "pass_mark"),
    "criterion_code": ("内容编码", "criterion_code"),
    "criterion_name": ("考评内容", "criterion", "criterion_name"),
    "code": ("要点编码", "code", "point_code"),
    "text": ("评分要点", "text", "point"),
    "max_points": ("分值", "max_points", "points"),
    "evidence": ("佐证材料", "evidence"),
    "evidence_kind": ("佐证类型", "evidence_kind"),
    "is_veto": ("一票否决", "is_veto", "veto"),
}
POINT_REQUIRED = ("dimension_code", "criterion_code", "code", "text", "max_points")
LEVEL_COLUMNS: dict[str, tuple[str, ...]] = {
    "order": ("顺序", "order"),
    "name": ("名称", "name"),
    "by": ("由谁", "by"),
    "unit": ("单位", "unit"),
}
BAND_COLUMNS: dict[str, tuple[str, ...]] = {
    "label": ("等次", "label", "grade"),
    "min_score": ("最低分", "min_score"),
}


@dataclass(frozen=True)
class Problem:
    """One line of the report: the sheet, the Excel row and the column at fault."""

    sheet: str
    row: int | None
    field: str
    message: str
    severity: str = "error"

    @property
    def column(self) -> str:
        for columns in (POINT_COLUMNS, LEVEL_COLUMNS, BAND_COLUMNS):
            if self.field in columns:
                return columns[self.field][0]
        if self.field in SCHEME_KEYS:
            return SCHEME_KEYS[self.field][0]
        return self.field


@dataclass
class PointRow:
    dimension_code: str
    dimension_name: str
    pass_mark: Decimal | None
    criterion_code: str
    criterion_name: str
    code: str
    text: str
    max_points: Decimal
    evidence: str
    evidence_kind: str
    is_veto: bool


@dataclass
class LevelRow:
    order: int
    name: str
    by: str
    unit_id: int | None


@dataclass
class SchemePlan:
    """A checked workbook, ready for actions.import_scheme."""

    code: str = ""
    name: str = ""
    subject_kind: str = ""
    rule: str = ""
    quota_rank: int | None = None
    quota_percent: Decimal | None = None
    description: str = ""
    points: list[PointRow] = field(default_factory=list)
    levels: list[LevelRow] = field(default_factory=list)
    bands: list[tuple[str, Decimal]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def parse_decimal(value: Any, *, maximum: Decimal = MAX_POINTS) -> Decimal | None:
    """A number from 0 to `maximum` with at most two decimals, or None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number > maximum:
        return None
    if number != number.quantize(Decimal("0.01")):
        return None
    return number.quantize(Decimal("0.01"))


def _choice(value: str, words: dict[Any, str]) -> str | None:
    text = value.strip()
    for stored, word in words.items():
        if text in (word, str(stored)):
            return str(stored)
    return None


def load_workbook(data: bytes) -> tuple[Any, Problem | None]:
    try:
        return open_workbook(data), None
    except UnreadableWorkbook as exc:
        return None, Problem("", None, "file", str(exc))


def validate_scheme(workbook: Any) -> SchemePlan:
    """Check every sheet of a scheme workbook; writes nothing."""
    plan = SchemePlan()
    _read_scheme_sheet(workbook, plan)
    _read_points(workbook, plan)
    _read_levels(workbook, plan)
    _read_bands(workbook, plan)
    if plan.rule == GradingRule.BANDS and not plan.bands and not plan.errors:
        plan.problems.append(Problem("等次", None, "", _("A 等次 scheme needs the 等次 sheet.")))
    return plan


def _reporter(plan: SchemePlan, sheet: str) -> Any:
    def report(row: int, field_name: str, message: str, severity: str) -> None:
        plan.problems.append(Problem(sheet, row, field_name, message, severity))

    return report


def _read_scheme_sheet(workbook: Any, plan: SchemePlan) -> None:
    ws = sheet_named(workbook, SCHEME_SHEETS)
    if ws is None:
        plan.problems.append(Problem("方案", None, "", _("The workbook has no sheet 方案.")))
        return
    rows = read_table(ws, SCHEME_COLUMNS, ("key",), _reporter(plan, "方案"), max_rows=50)
    keys = {alias: name for name, aliases in SCHEME_KEYS.items() for alias in aliases}
    values: dict[str, tuple[int, str]] = {}
    for number, r in rows:
        name = keys.get(r["key"])
        if name is None:
            message = _("Unknown line “%(key)s” is ignored.") % {"key": r["key"]}
            plan.problems.append(Problem("方案", number, "key", message, "warning"))
        else:
            values[name] = (number, r.get("value", ""))

    def bad(name: str, message: str) -> None:
        plan.problems.append(Problem("方案", values.get(name, (None, ""))[0], name, message))

    plan.code = values.get("code", (0, ""))[1]
    if not plan.code:
        bad("code", _("A scheme code is required."))
    elif len(plan.code) > 32:
        bad("code", _("At most %(n)d characters.") % {"n": 32})
    plan.name = values.get("name", (0, ""))[1]
    if not plan.name:
        bad("name", _("A scheme name is required."))
    elif len(plan.name) > 200:
        bad("name", _("At most %(n)d characters.") % {"n": 200})
    kind = _choice(values.get("subject_kind", (0, ""))[1], SUBJECT_WORDS)
    if kind is None:
        bad("subject_kind", _("Write one of %(c)s.") % {"c": "、".join(SUBJECT_WORDS.values())})
    plan.subject_kind = kind or ""
    rule = _choice(values.get("rule", (0, ""))[1], RULE_WORDS)
    if rule is None:
        bad("rule", _("Write one of %(c)s.") % {"c": "、".join(RULE_WORDS.values())})
    plan.rule = rule or ""
    rank_text = values.get("quota_rank", (0, ""))[1]
    percent_text = values.get("quota_percent", (0, ""))[1].rstrip("%％")
    if rank_text or percent_text:
        if not rank_text.isdigit() or not 0 < int(rank_text) < 100:
            bad("quota_rank", _("Give the quota's grade as a whole number (e.g. 5)."))
        else:
            plan.quota_rank = int(rank_text)
        plan.quota_percent = parse_decimal(percent_text, maximum=Decimal(100))
        if plan.quota_percent is None:
            bad("quota_percent", _("Give the quota as a percentage from 0 to 100."))
    plan.description = values.get("description", (0, ""))[1]


def _read_points(workbook: Any, plan: SchemePlan) -> None:
    ws = sheet_named(workbook, POINT_SHEETS)
    if ws is None:
        plan.problems.append(
            Problem("考评标准", None, "", _("The workbook has no sheet 考评标准."))
        )
        return
    rows = read_table(
        ws, POINT_COLUMNS, POINT_REQUIRED, _reporter(plan, "考评标准"), max_rows=MAX_ROWS
    )
    if not rows and not plan.errors:
        plan.problems.append(Problem("考评标准", None, "", _("The sheet has no scoring points.")))
    dimensions: dict[str, tuple[str, Decimal | None, int]] = {}
    criteria: dict[tuple[str, str], tuple[str, int]] = {}
    codes: dict[str, int] = {}
    above: dict[str, str] = {}
    for number, r in rows:
        problems: list[Problem] = []

        def bad(name: str, message: str) -> None:
            problems.append(Problem("考评标准", number, name, message))  # noqa: B023

        for level in ("dimension", "criterion"):  # merged cells: empty repeats the row above
            if not r[f"{level}_code"] and not r.get(f"{level}_name") and above.get(level):
                r[f"{level}_code"] = above[level]
                r[f"{level}_name"] = ""
        d_code, d_name = r["dimension_code"], r.get("dimension_name", "")
        pass_mark = None
        if r.get("pass_mark"):
            pass_mark = parse_decimal(r["pass_mark"])
            if pass_mark is None:
                bad("pass_mark", _("Give the pass mark as points (two decimals at most)."))
        if not d_code:
            bad("dimension_code", _("A star code is required."))
        elif len(d_code) > 32:
            bad("dimension_code", _("At most %(n)d characters.") % {"n": 32})
        elif d_code in dimensions:
            known_name, known_mark, at = dimensions[d_code]
            if d_name and d_name != known_name:
                bad(
                    "dimension_name",
                    _("Star %(code)s is named “%(name)s” in row %(row)d.")
                    % {"code": d_code, "name": known_name, "row": at},
                )
            if pass_mark is not None and pass_mark != known_mark:
                bad(
                    "pass_mark",
                    _("Star %(code)s has the pass mark %(mark)s in row %(row)d.")
                    % {"code": d_code, "mark": known_mark, "row": at},
                )
            d_name = known_name
        elif not d_name:
            bad("dimension_name", _("A star (dimension) name is required."))
        elif len(d_name) > 200:
            bad("dimension_name", _("At most %(n)d characters.") % {"n": 200})
        else:
            dimensions[d_code] = (d_name, pass_mark, number)
        c_code, c_name = r["criterion_code"], r.get("criterion_name", "")
        key = (d_code, c_code)
        if not c_code:
            bad("criterion_code", _("A criterion code is required."))
        elif len(c_code) > 32:
            bad("criterion_code", _("At most %(n)d characters.") % {"n": 32})
        elif key in criteria:
            known, at = criteria[key]
            if c_name and c_name != known:
                bad(
                    "criterion_name",
                    _("Criterion %(code)s is named “%(name)s” in row %(row)d.")
                    % {"code": c_code, "name": known, "row": at},
                )
            c_name = known
        elif not c_name:
            bad("criterion_name", _("A criterion name is required."))
        elif len(c_name) > 300:
            bad("criterion_name", _("At most %(n)d characters.") % {"n": 300})
        else:
            criteria[key] = (c_name, number)
        code = r["code"]
        if not code:
            bad("code", _("A scoring point code is required."))
        elif len(code) > 32:
            bad("code", _("At most %(n)d characters.") % {"n": 32})
        elif code in codes:
            bad(
                "code",
                _("Scoring point %(code)s appears more than once (first in row %(row)d).")
                % {"code": code, "row": codes[code]},
            )
        else:
            codes[code] = number
        if not r["text"]:
            bad("text", _("The wording of the scoring point is required."))
        max_points = parse_decimal(r["max_points"])
        if max_points is None:
            bad(
                "max_points",
                _("“%(value)s” is not a number of points (0 to %(max)s, two decimals).")
                % {"value": r["max_points"], "max": MAX_POINTS},
            )
        evidence = r.get("evidence", "")
        if len(evidence) > 300:
            bad("evidence", _("At most %(n)d characters.") % {"n": 300})
        evidence_kind = _choice(r.get("evidence_kind", ""), EVIDENCE_WORDS)
        if not r.get("evidence_kind"):
            evidence_kind = EvidenceKind.ANY
        elif evidence_kind is None:
            bad(
                "evidence_kind",
                _("Write one of %(c)s.") % {"c": "、".join(EVIDENCE_WORDS.values())},
            )
        veto_text = r.get("is_veto", "").strip().lower()
        if veto_text not in YES | NO:
            bad("is_veto", _("Write 是 or 否, not “%(value)s”.") % {"value": r["is_veto"]})
        above["dimension"], above["criterion"] = d_code, c_code
        plan.problems.extend(problems)
        if not problems and max_points is not None and evidence_kind is not None:
            plan.points.append(
                PointRow(
                    d_code,
                    d_name,
                    dimensions[d_code][1],
                    c_code,
                    c_name,
                    code,
                    r["text"],
                    max_points,
                    evidence,
                    evidence_kind,
                    veto_text in YES,
                )
            )


def _read_levels(workbook: Any, plan: SchemePlan) -> None:
    ws = sheet_named(workbook, LEVEL_SHEETS)
    if ws is None:
        plan.problems.append(
            Problem("审核层级", None, "", _("The workbook has no sheet 审核层级."))
        )
        return
    rows = read_table(
        ws, LEVEL_COLUMNS, ("order", "name", "by"), _reporter(plan, "审核层级"), max_rows=20
    )
    units = {u.code: u.pk for u in Unit.objects.only("pk", "code")}
    units.update({u.name: u.pk for u in Unit.objects.only("pk", "name")})
    seen: set[int] = set()
    for number, r in rows:
        problems: list[Problem] = []

        def bad(name: str, message: str) -> None:
            problems.append(Problem("审核层级", number, name, message))  # noqa: B023

        order = int(r["order"]) if r["order"].isdigit() else 0
        if not 0 < order < 100:
            bad("order", _("Give the order as a whole number from 1."))
        elif order in seen:
            bad("order", _("Level %(n)d appears twice.") % {"n": order})
        seen.add(order)
        if not r["name"] or len(r["name"]) > 100:
            bad("name", _("A name of at most %(n)d characters is required.") % {"n": 100})
        by = _choice(r["by"], BY_WORDS)
        if by is None:
            bad("by", _("Write one of %(c)s.") % {"c": "、".join(BY_WORDS.values())})
        unit_id = None
        if r.get("unit"):
            unit_id = units.get(r["unit"])
            if unit_id is None:
                bad("unit", _("Unknown unit %(unit)s.") % {"unit": r["unit"]})
        if by == ReviewLevel.By.UNIT and not r.get("unit"):
            bad("unit", _("Name the unit that does this level."))
        plan.problems.extend(problems)
        if not problems and by is not None:
            plan.levels.append(LevelRow(order, r["name"], by, unit_id))
    if not plan.levels and not plan.errors:
        plan.problems.append(Problem("审核层级", None, "", _("The scheme needs a review level.")))
    plan.levels.sort(key=lambda level: level.order)


def _read_bands(workbook: Any, plan: SchemePlan) -> None:
    ws = sheet_named(workbook, BAND_SHEETS)
    if ws is None:
        return
    rows = read_table(
        ws, BAND_COLUMNS, ("label", "min_score"), _reporter(plan, "等次"), max_rows=20
    )
    labels: set[str] = set()
    for number, r in rows:
        score = parse_decimal(r["min_score"])
        if not r["label"] or len(r["label"]) > 50:
            plan.problems.append(Problem("等次", number, "label", _("A grade name is required.")))
        elif r["label"] in labels:
            plan.problems.append(
                Problem(
                    "等次", number, "label", _("Grade %(l)s appears twice.") % {"l": r["label"]}
                )
            )
        elif score is None:
            plan.problems.append(
                Problem("等次", number, "min_score", _("Give the lowest score as points."))
            )
        else:
            labels.add(r["label"])
            plan.bands.append((r["label"], score))


# --- writing ------------------------------------------------------------------------------


def export_workbook(scheme: Scheme) -> bytes:
    """The scheme as the workbook validate_scheme reads (a round trip keeps every field)."""
    book = xlsx.new_workbook()
    ws = xlsx.sheet(book, "方案", [("项目", 14), ("内容", 60)])
    quota_rank = "" if scheme.quota_rank is None else scheme.quota_rank
    quota_percent = "" if scheme.quota_percent is None else scheme.quota_percent
    for key, value in (
        ("方案编码", scheme.code),
        ("方案名称", scheme.name),
        ("考评对象", SUBJECT_WORDS[SubjectKind(scheme.subject_kind)]),
        ("评定规则", RULE_WORDS[GradingRule(scheme.rule)]),
        ("配额等次", quota_rank),
        ("配额比例", quota_percent),
        ("说明", scheme.description),
    ):
        xlsx.append(ws, [key, value])
    headers = [(columns[0], 12) for columns in POINT_COLUMNS.values()]
    ws = xlsx.sheet(book, "考评标准", headers, caption=str(scheme))
    points = scheme.points.select_related("criterion__dimension").order_by(
        "criterion__dimension__order",
        "criterion__dimension__pk",
        "criterion__order",
        "criterion__pk",
        "order",
        "pk",
    )
    for p in points:
        c, d = p.criterion, p.criterion.dimension
        xlsx.append(
            ws,
            [
                d.code,
                d.name,
                d.pass_mark,
                c.code,
                c.name,
                p.code,
                p.text,
                p.max_points,
                p.evidence,
                EVIDENCE_WORDS[EvidenceKind(p.evidence_kind)],
                "是" if p.is_veto else "否",
            ],
            wrap=True,
        )
    ws = xlsx.sheet(book, "审核层级", [("顺序", 8), ("名称", 20), ("由谁", 14), ("单位", 24)])
    for level in scheme.levels.select_related("unit"):
        unit = level.unit.code if level.unit else ""
        xlsx.append(ws, [level.order, level.name, BY_WORDS[ReviewLevel.By(level.by)], unit])
    if scheme.rule == GradingRule.BANDS:
        ws = xlsx.sheet(book, "等次", [("等次", 14), ("最低分", 10)])
        for band in scheme.bands.all():
            xlsx.append(ws, [band.label, band.min_score])
    return xlsx.to_bytes(book)
