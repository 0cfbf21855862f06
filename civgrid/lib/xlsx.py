"""Every Excel workbook civgrid writes goes through here: ledger, work logs, inspection
findings, the framework sheet, the import templates.

- Text is cleaned with civgrid.lib.text.clean_for_export: a control character a resident once
  typed (XML cannot hold it; openpyxl raises IllegalCharacterError) no longer fails the whole
  export, and bidi overrides cannot make a cell read differently from what is stored.
- Text is always text, never a formula: a cell starting with = + - @ tab or carriage return
  (what Excel and LibreOffice take for the start of a formula, OWASP's CSV/formula injection)
  is written with the string type and Excel's quote prefix, so a description like
  ``=HYPERLINK(...)`` shows as typed and does not run on an office computer. Numbers, dates and
  booleans keep their types.
- Exports use openpyxl's write-only mode: rows go to disk as they are appended, so a
  100,000-row ledger needs no more memory than a 100-row one. The small templates use normal
  mode for their drop-down lists; the helpers work with both.
- The large exports (the ledger) stream through XlsxWriter instead (`StreamBook`): in its
  constant-memory mode each row goes to a temporary file as it is written, and it writes a
  cell several times faster than openpyxl's write-only cells (bench/xlsx_write.py). The same
  rules hold: cleaned text, text never a formula (XlsxWriter's formula and URL sniffing off,
  formula-looking text written as a string with the quote prefix), local wall times.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from civgrid.lib.text import clean_for_export

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WRAP = Alignment(wrap_text=True, vertical="top")

# A write-only or a normal worksheet: both append rows and take WriteOnlyCell cells.
Sheet = Any


def new_workbook(*, write_only: bool = True) -> Workbook:
    """An empty workbook (no default sheet): add sheets with `sheet`."""
    book = Workbook(write_only=write_only)
    if not write_only and book.active is not None:
        book.remove(book.active)
    return book


def sheet(
    workbook: Workbook,
    title: str,
    headers: Sequence[tuple[str, float]],
    *,
    caption: str = "",
) -> Sheet:
    """A sheet with a bold caption row (the title offices print), then the header row, frozen."""
    ws = workbook.create_sheet(title=clean_for_export(title)[:31])
    for index, (_label, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    if caption:
        cell = _text_cell(ws, caption)
        cell.font = Font(bold=True, size=14)
        ws.append([cell])
    header_cells = []
    for label, _width in headers:
        cell = _text_cell(ws, label)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header_cells.append(cell)
    ws.freeze_panes = f"A{3 if caption else 2}"
    ws.append(header_cells)
    return ws


def notes_sheet(workbook: Workbook, lines: Iterable[str], *, width: float = 100) -> Sheet:
    """The 说明 sheet of a template: one line of guidance per row, no header."""
    ws = workbook.create_sheet(title="说明")
    ws.column_dimensions["A"].width = width
    for line in lines:
        append(ws, [line])
    return ws


def local(value: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: write the local (Asia/Shanghai) wall time."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None)


def _text_cell(ws: Sheet, value: str) -> Any:
    cell = WriteOnlyCell(ws, value=clean_for_export(value))
    cell.data_type = "s"  # openpyxl would take a leading = for a formula
    return cell


def cells(ws: Sheet, values: Iterable[Any], *, wrap: bool = False) -> list[Any]:
    """One row's values, made safe for the sheet. Plain values are appended as they are (a
    styled cell per value would cost more than the rest of the row); text is cleaned, text
    that would start a formula becomes a text cell with the quote prefix, datetimes become
    local wall times, which openpyxl formats as dates itself. `wrap`: every cell wraps its
    text at the top (a styled cell each; for small sheets)."""
    row: list[Any] = []
    for value in values:
        if isinstance(value, str):
            value = clean_for_export(value)
            if value.startswith(FORMULA_START):
                cell = _text_cell(ws, value)
                cell.quotePrefix = True
                value = cell
        elif isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        if wrap:
            if not isinstance(value, Cell):
                value = WriteOnlyCell(ws, value=value)
            value.alignment = _WRAP
        row.append(value)
    return row


def append(ws: Sheet, values: Iterable[Any], *, wrap: bool = False) -> None:
    ws.append(cells(ws, values, wrap=wrap))


class StreamSheet:
    """A sheet of a StreamBook: rows are appended in order and written out at once."""

    def __init__(self, book: StreamBook, ws: Any) -> None:
        self._book = book
        self._ws = ws
        self.row = 0

    def append(self, values: Iterable[Any]) -> None:
        """One row, with the rules of `cells` (text cleaned, never a formula, local times)."""
        ws, r, book = self._ws, self.row, self._book
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                value = clean_for_export(value)
                if value.startswith(FORMULA_START):
                    ws.write_string(r, c, value, book.quoted)
                else:
                    ws.write_string(r, c, value)
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            elif isinstance(value, dt.datetime):
                if value.tzinfo is not None:
                    value = timezone.localtime(value).replace(tzinfo=None)
                ws.write_datetime(r, c, value, book.when)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, value, book.day)
            else:
                ws.write_string(r, c, clean_for_export(str(value)))
        self.row += 1


class StreamBook:
    """A workbook written row by row in constant memory (XlsxWriter), for large exports.

    book = StreamBook(path_or_binary_file)
    ws = book.sheet(title, headers, caption=...)
    ws.append([...])
    book.close()
    """

    def __init__(self, target: Any) -> None:
        import xlsxwriter

        self._book = xlsxwriter.Workbook(
            target,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "remove_timezone": True,
            },
        )
        self.quoted = self._book.add_format({"quote_prefix": True})
        self.when = self._book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.day = self._book.add_format({"num_format": "yyyy-mm-dd"})
        self._bold = self._book.add_format({"bold": True})
        self._caption = self._book.add_format({"bold": True, "font_size": 14})
        self._header = self._book.add_format(
            {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True}
        )

    def sheet(
        self, title: str, headers: Sequence[tuple[str, float]], *, caption: str = ""
    ) -> StreamSheet:
        """As `sheet`: a bold caption row, then the header row, frozen below it."""
        ws = self._book.add_worksheet(clean_for_export(title)[:31])
        for index, (_label, width) in enumerate(headers):
            ws.set_column(index, index, width)
        out = StreamSheet(self, ws)
        if caption:
            ws.write_string(0, 0, clean_for_export(caption), self._caption)
            out.row = 1
        for index, (label, _width) in enumerate(headers):
            ws.write_string(out.row, index, clean_for_export(label), self._header)
        out.row += 1
        ws.freeze_panes(out.row, 0)
        return out

    def close(self) -> None:
        self._book.close()


def to_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
