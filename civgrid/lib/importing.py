"""What every all-or-nothing import reports back: its problems, and whether it may be written."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any
from xml.parsers import expat

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
    # Bounded: openpyxl pads every row to the width the sheet declares (up to 16,384 columns)
    # and fills gaps in row numbers with blank rows, so both are capped here.
    last_row = HEADER_SEARCH_ROWS + max_rows + BLANK_ROWS_ALLOWED + 1
    width = min(getattr(ws, "max_column", None) or MAX_COLUMNS, MAX_COLUMNS)
    rows = ws.iter_rows(values_only=True, max_col=width, max_row=last_row)
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
        if number - header_at > max_rows + BLANK_ROWS_ALLOWED:
            message = _(
                "The sheet goes on past row %(row)d: at most %(n)d rows are read, blank rows"
                " included. Delete the empty rows below the table and try again."
            ) % {"row": number - 1, "n": max_rows + BLANK_ROWS_ALLOWED}
            report(number, "", message, "error")
            break
        record = {
            name: convert(values[i] if i < len(values) else None) for name, i in position.items()
        }
        if not any(cell_text(v) for v in record.values()):  # blank lines between blocks are normal
            continue
        if len(out) >= max_rows:
            report(number, "", _("Too many rows (at most %(n)d).") % {"n": max_rows}, "error")
            break
        for name, value in record.items():
            if problem := text_problem(value):  # an invisible control character
                report(number, name, problem, "error")
        out.append((number, record))
    return out


# --- opening an uploaded workbook without letting it cost more than its size ---------------
# An .xlsx is a zip of XML: 307 KB can unpack to a 300 MB shared string, 93 KB to a hundred
# thousand rows. What the archive declares is checked before openpyxl parses anything (Python's
# zipfile never inflates an entry past its declared size), and the reading is bounded after.

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100  # compression ratio of one entry; office sheets stay well under 30:1
RATIO_CHECKED_FROM = 1024 * 1024  # small entries may compress as they like
MAX_ENTRIES = 1000
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of one cell
MAX_COLUMNS = 200
BLANK_ROWS_ALLOWED = 10_000  # read past the row limit, for the formatted blank rows of templates
SHARED_STRINGS = re.compile(r"(?i)^xl/sharedStrings\d*\.xml$")


class UnreadableWorkbook(ValueError):
    """The upload cannot be opened as a workbook; the message is for the user."""


def open_workbook(data: bytes) -> Any:
    """The workbook in `data` (read-only, cached formula values); raises UnreadableWorkbook
    (`not_a_workbook()`, or why it is refused) for the caller to report in its problem shape."""
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableWorkbook(not_a_workbook()) from exc
    with archive:
        _check_archive(archive)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, ValueError… for bad files
        raise UnreadableWorkbook(not_a_workbook()) from exc


def _check_archive(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    unpacked = sum(entry.file_size for entry in entries)
    too_large = _(
        "The workbook unpacks to more than %(n)d MB: it is not an ordinary office sheet."
        " Copy the table into a new workbook and try again."
    ) % {"n": MAX_UNPACKED_BYTES // (1024 * 1024)}
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableWorkbook(too_large)
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_CHECKED_FROM and ratio > MAX_RATIO:
            raise UnreadableWorkbook(too_large)
    for entry in entries:
        if SHARED_STRINGS.match(entry.filename):
            with archive.open(entry) as stream:
                _check_text_lengths(stream)


def _check_text_lengths(stream: IO[bytes]) -> None:
    """Refuse a shared string longer than a cell may hold, reading the XML in chunks (never the
    whole string) before openpyxl would build it."""
    parser = expat.ParserCreate()
    length = 0

    def start(name: str, attrs: Any) -> None:
        nonlocal length
        if name.rpartition(":")[2] == "si":
            length = 0

    def text(data: str) -> None:
        nonlocal length
        length += len(data)
        if length > MAX_CELL_CHARS:
            raise UnreadableWorkbook(
                _(
                    "A cell of the workbook holds more than %(n)d characters, more than Excel allows."
                )
                % {"n": MAX_CELL_CHARS}
            )

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    try:
        for chunk in iter(lambda: stream.read(64 * 1024), b""):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise UnreadableWorkbook(not_a_workbook()) from exc


def not_a_workbook() -> str:
    return _("The file is not an Excel workbook (.xlsx). Save it as .xlsx and try again.")


def sheet_named(workbook: Any, names: Sequence[str]) -> Any | None:
    """The first sheet whose title (trimmed, lower case) is one of `names`."""
    by_name = {ws.title.strip().lower(): ws for ws in workbook.worksheets}
    for name in names:
        if name in by_name:
            return by_name[name]
    return None
