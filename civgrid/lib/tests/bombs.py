"""Spreadsheet bombs for the tests and bench/uploads.py: small .xlsx files that unpack or
iterate to far more than their size."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

from openpyxl import Workbook

HEADERS = ("户编码", "网格编码", "地址")


def _base(first_row: tuple[str, ...]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "住户"
    ws.append(HEADERS)
    ws.append(first_row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rewrite(data: bytes, parts: dict[str, Iterable[bytes]]) -> bytes:
    """`data` with the entries in `parts` replaced (or added) by their concatenated parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = [info.filename for info in src.infolist()]
        for name in names + [n for n in parts if n not in names]:
            if name in parts:
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(info, "w", force_zip64=True) as entry:
                    for part in parts[name]:
                        entry.write(part)
            else:
                dst.writestr(name, src.read(name), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def huge_shared_string(chars: int) -> bytes:
    """A workbook whose one data cell is a shared string of `chars` characters."""
    data = _base(("H1", "G1", "MARKER"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
        types = z.read("[Content_Types].xml")
    sheet = sheet.replace(
        b'<c r="C2" t="inlineStr"><is><t>MARKER</t></is></c>', b'<c r="C2" t="s"><v>0</v></c>'
    )
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml" Id="rId9"/></Relationships>',
    )
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )

    def strings() -> Iterator[bytes]:
        yield (
            b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org'
            b'/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
        )
        block = b"A" * (1024 * 1024)
        left = chars
        while left > 0:
            yield block[: min(left, len(block))]
            left -= len(block)
        yield b"</t></si></sst>"

    return _rewrite(
        data,
        {
            "xl/worksheets/sheet1.xml": [sheet],
            "xl/_rels/workbook.xml.rels": [rels],
            "[Content_Types].xml": [types],
            "xl/sharedStrings.xml": strings(),
        },
    )


def blank_rows(count: int) -> bytes:
    """A sheet with its header, `count` blank rows, then one household, which
    declares the widest dimension Excel allows so that a reader pads every row to it."""
    data = _base(("H1", "G1", "地址"))

    def cell(ref: str, text: str) -> bytes:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()

    def parts() -> Iterator[bytes]:
        last = count + 2
        yield (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="A1:XFD{last}"/><sheetData>'
        ).encode()
        yield (
            b'<row r="1">'
            + b"".join(cell(f"{c}1", h) for c, h in zip("ABC", HEADERS, strict=True))
            + b"</row>"
        )
        for r in range(2, last):
            yield f'<row r="{r}"/>'.encode()
        yield f'<row r="{last}">'.encode() + cell(f"A{last}", "H9") + b"</row>"
        yield b"</sheetData></worksheet>"

    return _rewrite(data, {"xl/worksheets/sheet1.xml": parts()})
