"""Writing Excel workbooks in constant memory (openpyxl's write-only mode).

Rows go to disk as they are appended, so a 100,000-row ledger needs no more memory than a
100-row one. Text that would start a formula (=, +, -, @) is written as text: a resident's
description must never run as a formula on an office computer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_START = ("=", "+", "-", "@")


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def sheet(
    workbook: Workbook,
    title: str,
    headers: Sequence[tuple[str, float]],
    *,
    caption: str = "",
) -> WriteOnlyWorksheet:
    """A sheet with a bold caption row (the title offices print), then the header row, frozen."""
    ws = workbook.create_sheet(title=title[:31])
    for index, (_label, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    if caption:
        cell = WriteOnlyCell(ws, value=caption)
        cell.font = Font(bold=True, size=14)
        ws.append([cell])
    header_cells = []
    for label, _width in headers:
        cell = WriteOnlyCell(ws, value=label)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header_cells.append(cell)
    ws.freeze_panes = f"A{3 if caption else 2}"
    ws.append(header_cells)
    return ws


def local(value: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: write the local (Asia/Shanghai) wall time."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None)


def cells(ws: WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    """One row's values, made safe for the sheet. Plain values are appended as they are (a
    styled cell per value would cost more than the rest of the row); datetimes become local
    wall times, which openpyxl formats as dates itself."""
    row: list[Any] = []
    for value in values:
        if isinstance(value, str):
            if value[:1] in FORMULA_START:
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"
                row.append(cell)
            else:
                row.append(value)
        elif isinstance(value, dt.datetime) and value.tzinfo is not None:
            row.append(timezone.localtime(value).replace(tzinfo=None))
        else:
            row.append(value)
    return row
