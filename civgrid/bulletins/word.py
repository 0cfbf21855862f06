"""Word documents in the layout of official bulletins (通报) and briefings (简报).

Title in 小标宋, body in 仿宋 (the fonts of government documents; Word falls back to what is
installed), tables with a header row. Documents are built from aggregates and bounded lists,
so their size does not grow with the ledger.

Every run of text goes through `_run`, which cleans it with civgrid.lib.text.clean_for_export:
a control character stored before they were refused (XML cannot hold it; lxml raises) or an
old, immutable case event's note never stops a bulletin or briefing from being written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from civgrid.lib.text import clean_for_export

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"


def _run(paragraph: Paragraph, text: Any, name: str, size: float, *, bold: bool = False) -> Run:
    """A run of `text` (cleaned; None is empty) in the given font."""
    run = paragraph.add_run(clean_for_export("" if text is None else str(text)))
    _font(run, name, size, bold=bold)
    return run


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
    _run(p, text, TITLE_FONT, 22)
    if subtitle:
        s = doc.add_paragraph()
        s.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(s, subtitle, BODY_FONT, 14)


def heading(doc: DocumentObject, text: str) -> None:
    p = doc.add_paragraph()
    _run(p, text, HEADING_FONT, 16)


def paragraph(doc: DocumentObject, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(28)  # two characters, as official text is set
    _run(p, text, BODY_FONT, 14)


def table(doc: DocumentObject, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, headers, strict=True):
        cell.text = ""
        _run(cell.paragraphs[0], text, HEADING_FONT, 11)
    for row in rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            _run(cell.paragraphs[0], value, BODY_FONT, 11)


def number(value: Any) -> str:
    """1234 → 1,234; 12.5 → 12.5; a Decimal keeps its two places."""
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if value is not None else "—"
