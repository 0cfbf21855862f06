"""What every all-or-nothing import reports back: its problems, and whether it may be written."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from civgrid.lib.text import text_problem


@dataclass
class ImportOutcome:
    """Base of an import's result. `problems` hold objects with a `severity` of "error" or
    "warning"; any error means nothing was written."""

    problems: list[Any] = field(default_factory=list)
    dry_run: bool = False

    @property
    def errors(self) -> list[Any]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Any]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading an office sheet -------------------------------------------------------------

HEADER_SEARCH_ROWS = 5


def norm_header(value: Any) -> str:
    """A header cell as a lookup key: case, spaces, "*" and a trailing "(…)" note ignored, so
    "账号（必填）" and "账号" name the same column."""
    text = str(value or "").strip().lower().replace(" ", "").replace("*", "")
    return re.sub(r"[(（].*[)）]$", "", text)


def cell_text(value: Any) -> str:
    """A cell as text: 13812345678 typed as a number is a phone, 1.0 is "1"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


Report = Callable[[int, str, str, str], None]  # (row, field, message, severity)


def read_table(
    ws: Any,
    columns: Mapping[str, tuple[str, ...]],
    required: Sequence[str],
    report: Report,
    *,
    max_rows: int,
    convert: Callable[[Any], Any] = cell_text,
) -> list[tuple[int, dict[str, Any]]]:
    """An office sheet's rows as {field: convert(cell)}, each with its Excel row number.

    `columns` maps a field to the headers that name it (Chinese first, English too). The header
    is the first row naming a required column within the first rows: offices often put a title
    line ("七一路街道网格员花名册") above it. Unknown columns are a warning, a column named twice
    or a required one missing is an error (and no rows are read); blank lines are skipped; a
    cell holding a forbidden character (civgrid.lib.text) is an error in its row and column.
    """
    lookup = {norm_header(alias): name for name, aliases in columns.items() for alias in aliases}
    required_keys = {norm_header(a) for name in required for a in columns[name]}
    rows = ws.iter_rows(values_only=True)
    header_at, header = 0, None
    for number, values in enumerate(rows, start=1):
        if any(norm_header(v) in required_keys for v in values):
            header_at, header = number, values
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        wanted = "、".join(columns[name][0] for name in required)
        report(1, "", _("No header row with %(columns)s.") % {"columns": wanted}, "error")
        return []
    position: dict[str, int] = {}
    for i, value in enumerate(header):
        key = norm_header(value)
        if not key:
            continue
        name = lookup.get(key)
        if name is None:
            message = _("Unknown column “%(column)s” is ignored.") % {"column": value}
            report(header_at, str(value), message, "warning")
        elif name in position:
            report(
                header_at,
                name,
                _("Column “%(column)s” appears twice.") % {"column": value},
                "error",
            )
        else:
            position[name] = i
    missing = [columns[name][0] for name in required if name not in position]
    if missing:
        message = _("Missing column(s): %(columns)s.") % {"columns": "、".join(missing)}
        report(header_at, "", message, "error")
        return []
    out: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=header_at + 1):
        if len(out) >= max_rows:
            report(number, "", _("Too many rows (at most %(n)d).") % {"n": max_rows}, "error")
            break
        record = {
            name: convert(values[i] if i < len(values) else None) for name, i in position.items()
        }
        if any(cell_text(v) for v in record.values()):  # blank lines between blocks are normal
            for name, value in record.items():
                if problem := text_problem(value):  # an invisible control character
                    report(number, name, problem, "error")
            out.append((number, record))
    return out


def open_workbook(data: bytes) -> Any | None:
    """The workbook in `data` (read-only, cached formula values), or None when the file is not
    an .xlsx workbook; the caller reports `not_a_workbook()` in its own problem shape."""
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises zipfile, KeyError, ValueError… for bad files
        return None


def not_a_workbook() -> str:
    return _("The file is not an Excel workbook (.xlsx). Save it as .xlsx and try again.")


def sheet_named(workbook: Any, names: Sequence[str]) -> Any | None:
    """The first sheet whose title (trimmed, lower case) is one of `names`."""
    by_name = {ws.title.strip().lower(): ws for ws in workbook.worksheets}
    for name in names:
        if name in by_name:
            return by_name[name]
    return None
