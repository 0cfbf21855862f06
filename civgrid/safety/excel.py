"""Reading a checklist sheet (检查表) and checking every row; nothing here writes.

One sheet (the first, or one named 检查表 / checklist) with 编码, 类别, 检查内容, 隐患等级 (required),
适用场所 and 整改期限 (English: code, section, text, grade, kinds, deadline_workdays). 适用场所 is
全部 (or empty) or venue kinds separated by 、 , ; or spaces (规上企业, 小餐饮, 诊所…); 隐患等级 is
一般 or 重大; 整改期限 is working days (empty: the grade's default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from civgrid.enterprises.imports import parse_kind
from civgrid.lib import xlsx
from civgrid.lib.importing import UnreadableWorkbook, open_workbook, read_table, sheet_named
from civgrid.safety.models import DEFAULT_DEADLINE_WORKDAYS, Grade

MAX_ROWS = 2000
MAX_DEADLINE = 120
SHEETS = ("检查表", "checklist", "检查项目")
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("编码", "code", "序号", "项目编码"),
    "section": ("类别", "section", "检查类别", "分类"),
    "text": ("检查内容", "text", "检查项目", "内容"),
    "kinds": ("适用场所", "kinds", "适用类型", "场所类型"),
    "grade": ("隐患等级", "grade", "等级"),
    "deadline_workdays": ("整改期限", "deadline_workdays", "整改期限(工作日)", "期限"),
}
REQUIRED = ("code", "section", "text", "grade")
GRADES = {
    "一般": Grade.GENERAL,
    "一般隐患": Grade.GENERAL,
    "general": Grade.GENERAL,
    "重大": Grade.MAJOR,
    "重大隐患": Grade.MAJOR,
    "major": Grade.MAJOR,
}
ALL_KINDS = {"", "全部", "所有", "all"}
_SPLIT = re.compile(r"[、,，;；/\s]+")


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


@dataclass(frozen=True)
class ItemRow:
    row: int
    code: str
    section: str
    text: str
    kinds: list[str]
    grade: str
    deadline_workdays: int


def load_workbook(data: bytes) -> tuple[Any, Problem | None]:
    try:
        return open_workbook(data), None
    except UnreadableWorkbook as exc:
        return None, Problem(None, "", "file", str(exc))


def parse_kinds(text: str) -> tuple[list[str], list[str]]:
    """(kinds, the words that name no kind); no kinds means every kind."""
    if text.strip().lower() in ALL_KINDS:
        return [], []
    kinds: list[str] = []
    unknown: list[str] = []
    for word in _SPLIT.split(text.strip()):
        if not word:
            continue
        kind = parse_kind(word)
        if kind is None:
            unknown.append(word)
        elif kind not in kinds:
            kinds.append(kind)
    return kinds, unknown


def validate_checklist(workbook: Any) -> tuple[list[ItemRow], list[Problem]]:
    problems: list[Problem] = []
    ws = sheet_named(workbook, SHEETS) or (workbook.worksheets[0] if workbook.worksheets else None)
    if ws is None:
        return [], [Problem(None, "", "sheet", _("The workbook has no sheet."))]

    def report(row: int, column: str, message: str, severity: str) -> None:
        problems.append(Problem(row, "", column, message, severity))

    rows = read_table(ws, COLUMNS, REQUIRED, report, max_rows=MAX_ROWS)
    first: dict[str, int] = {}
    out: list[ItemRow] = []
    for number, r in rows:
        code = r["code"].strip()
        row_problems: list[Problem] = []

        def bad(column: str, message: str) -> None:
            row_problems.append(Problem(number, code, column, message))  # noqa: B023

        if not code:
            bad("code", _("A code is required."))
        elif len(code) > 32:
            bad("code", _("At most %(n)d characters.") % {"n": 32})
        elif code in first:
            bad(
                "code",
                _("Code %(code)s appears more than once (first in row %(row)d).")
                % {"code": code, "row": first[code]},
            )
        else:
            first[code] = number
        section, text = r["section"].strip(), r["text"].strip()
        if not section:
            bad("section", _("A section is required."))
        elif len(section) > 50:
            bad("section", _("At most %(n)d characters.") % {"n": 50})
        if not text:
            bad("text", _("The item to check is required."))
        elif len(text) > 255:
            bad("text", _("At most %(n)d characters.") % {"n": 255})
        kinds, unknown = parse_kinds(r.get("kinds", ""))
        if unknown:
            bad("kinds", _("Unknown venue kind(s): %(kinds)s.") % {"kinds": "、".join(unknown)})
        grade = GRADES.get(r["grade"].strip().lower())
        if grade is None:
            bad("grade", _("Write 一般 or 重大, not “%(value)s”.") % {"value": r["grade"]})
        days_text = r.get("deadline_workdays", "").strip()
        days: int | None = None
        if days_text:
            if days_text.isdigit() and 1 <= int(days_text) <= MAX_DEADLINE:
                days = int(days_text)
            else:
                bad(
                    "deadline_workdays",
                    _("Give the deadline as working days from 1 to %(n)d.") % {"n": MAX_DEADLINE},
                )
        problems.extend(row_problems)
        if not row_problems and grade is not None:
            out.append(
                ItemRow(
                    number,
                    code,
                    section,
                    text,
                    kinds,
                    grade,
                    days if days is not None else DEFAULT_DEADLINE_WORKDAYS[grade],
                )
            )
    if not rows and not problems:
        problems.append(Problem(None, "", "sheet", _("The sheet has no items.")))
    return out, problems


def template_workbook() -> bytes:
    wb = xlsx.new_workbook(write_only=False)
    widths = {"text": 60, "kinds": 40}
    xlsx.sheet(wb, "检查表", [(a[0], widths.get(f, 12)) for f, a in COLUMNS.items()])
    xlsx.notes_sheet(
        wb,
        [
            "编码、类别、检查内容、隐患等级必填；编码在一个版本内唯一",
            "适用场所填“全部”或场所类型，用顿号分隔：规上企业、微型企业、小商店、小餐饮、小旅馆、小网吧、"
            "小美容洗浴、小歌舞娱乐、小学校幼儿园、小医院诊所、小生产加工",
            "隐患等级填“一般”或“重大”；整改期限为工作日数，不填时一般隐患5个、重大隐患20个工作日",
            "每次导入都建立一个新版本，原有版本不变；表内任何一行有错误时整个文件都不导入",
        ],
        width=100,
    )
    return xlsx.to_bytes(wb)
