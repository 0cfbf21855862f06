"""An inspection's findings as an Excel workbook (检查问题清单), one row per failed check."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases import deadlines
from civgrid.inspections.models import Finding
from civgrid.lib import xlsx


def columns() -> list[tuple[str, float]]:
    """(header, width) of each column."""
    return [
        (_("Site"), 20),
        (_("Site kind"), 14),
        (_("Grid"), 16),
        (_("Standard code"), 10),
        (_("Standard"), 40),
        (_("Points"), 8),
        (_("Outcome"), 14),
        (_("Note"), 30),
        (_("Tracking code"), 16),
        (_("Unit"), 18),
        (_("Last day"), 12),
        (_("Case status now"), 14),
    ]


def findings_workbook(findings: QuerySet[Finding]) -> bytes:
    """The findings given (already scoped to the reader), in site then standard order."""
    book = xlsx.new_workbook()
    sheet = xlsx.sheet(book, _("Findings"), columns())
    rows = findings.select_related("site__grid", "standard", "case__unit", "check_result").order_by(
        "site__code", "standard__order", "standard__code"
    )
    for f in rows:
        case = f.case
        outcome = f.check_result.get_outcome_display()
        if f.check_result.fixed_on_spot:
            outcome = f"{outcome} / {_('Fixed on the spot')}"
        xlsx.append(
            sheet,
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
            ],
        )
    return xlsx.to_bytes(book)


def export_filename(inspection_id: int) -> str:
    return f"inspection-{inspection_id}-findings-{timezone.localdate():%Y%m%d}.xlsx"
