"""Word documents in the layout of official bulletins (通报) and briefings (简报).

Title in 小标宋, body in 仿宋 (the fonts of government documents; Word falls back to what is
installed), tables with a header row. Documents are built from aggregates and bounded lists,
so their size does not grow with the ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"


def _font(run: Run, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Chinese text takes the East Asian font, which python-docx does not set by itself.
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(r_fonts)
    r_fonts.set(qn("w:eastAsia"), name)


def new_document() -> DocumentObject:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT  # type: ignore[attr-defined]
    style.font.size = Pt(14)  # type: ignore[attr-defined]
    return doc


def title(doc: DocumentObject, text: str, subtitle: str = "") -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(text), TITLE_FONT, 22)
    if subtitle:
        s = doc.add_paragraph()
        s.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(s.add_run(subtitle), BODY_FONT, 14)


def heading(doc: DocumentObject, text: str) -> None:
    p = doc.add_paragraph()
    _font(p.add_run(text), HEADING_FONT, 16)


def paragraph(doc: DocumentObject, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(28)  # two characters, as official text is set
    _font(p.add_run(text), BODY_FONT, 14)


def table(doc: DocumentObject, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, headers, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(str(text)), HEADING_FONT, 11)
    for row in rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run("" if value is None else str(value)), BODY_FONT, 11)


def number(value: Any) -> str:
    """1234 → 1,234; 12.5 → 12.5; a Decimal keeps its two places."""
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if value is not None else "—"
