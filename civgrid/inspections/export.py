"""An inspection's findings as an Excel workbook (检查问题清单), one row per failed check."""

from __future__ import annotations

import io

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from civgrid.cases import deadlines
from civgrid.inspections.models import Finding


def columns() -> list[str]:
    return [
        _("Site"),
        _("Site kind"),
        _("Grid"),
        _("Standard code"),
        _("Standard"),
        _("Points"),
        _("Outcome"),
        _("Note"),
        _("Tracking code"),
        _("Unit"),
        _("Last day"),
        _("Case status now"),
    ]


def findings_workbook(findings: QuerySet[Finding]) -> bytes:
    """The findings given (already scoped to the reader), in site then standard order."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Findings")[:31]
    sheet.append(columns())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = findings.select_related("site__grid", "standard", "case__unit", "check_result").order_by(
        "site__code", "standard__order", "standard__code"
    )
    for f in rows:
        case = f.case
        outcome = f.check_result.get_outcome_display()
        if f.check_result.fixed_on_spot:
            outcome = f"{outcome} / {_('Fixed on the spot')}"
        sheet.append(
            [
                f.site.name,
                f.site.get_kind_display(),
                f.site.grid.name,
                f.standard.code,
                f.standard.text,
                float(f.standard.points),
                outcome,
                f.check_result.note,
                case.tracking_code,
                case.unit.name if case.unit else "",
                deadlines.due_day(case.due_at) if case.due_at else None,
                case.get_status_display(),
            ]
        )
    widths = [20, 14, 16, 10, 40, 8, 14, 30, 16, 18, 12, 14]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for row in sheet.iter_rows(min_row=2, min_col=11, max_col=11):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_filename(inspection_id: int) -> str:
    return f"inspection-{inspection_id}-findings-{timezone.localdate():%Y%m%d}.xlsx"
