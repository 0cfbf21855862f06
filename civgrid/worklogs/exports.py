"""Work logs out: the entries of a period as an Excel workbook, and the work briefing
(工作简报) as a Word document. Both read through the user's scope (worklogs_for_user)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.bulletins import word
from civgrid.bulletins.models import ExportKind
from civgrid.bulletins.registry import Exporter, Progress
from civgrid.lib import xlsx
from civgrid.reports.periods import Period
from civgrid.worklogs.models import ActivityKind, WorkLog
from civgrid.worklogs.queries import (
    Totals,
    current,
    in_period,
    totals,
    totals_by,
    worklogs_for_user,
)

CHUNK = 2000
# The briefing's highlights: the largest entries of the period, a bounded list.
HIGHLIGHTS = 8


def period_of(params: dict[str, Any]) -> Period:
    return Period.parse(params.get("period") or "")


def scoped_logs(user: Any, params: dict[str, Any]) -> QuerySet[WorkLog]:
    logs = worklogs_for_user(user)
    if unit := params.get("unit"):
        logs = logs.filter(unit_id=int(unit))
    return logs


def entries(user: Any, params: dict[str, Any]) -> QuerySet[WorkLog]:
    """The current entries of the period, in date order."""
    return current(in_period(scoped_logs(user, params), period_of(params))).order_by(
        "worked_on", "id"
    )


def totals_headers() -> list[str]:
    return [
        _("Entries"),
        _("Person-times"),
        _("Machine-times"),
        _("Volume removed (m³)"),
        _("Items installed"),
        _("Activities held"),
    ]


def totals_cells(t: Totals) -> list[Any]:
    return [
        t.entries,
        t.person_times,
        t.machine_times,
        t.volume_removed,
        t.items_installed,
        t.activities_held,
    ]


def write_worklogs(
    user: Any, params: dict[str, Any], now: dt.datetime, path: Path, progress: Progress
) -> int:
    period = period_of(params)
    kinds = {value: str(label) for value, label in ActivityKind.choices}
    book = xlsx.new_workbook()
    caption = _("Work logs, %(period)s") % {"period": period.label()}
    columns = [
        (_("No."), 7),
        (_("Date"), 12),
        (_("Unit"), 20),
        (_("Activity kind"), 16),
        (_("Person-times"), 10),
        (_("Machine-times"), 10),
        (_("Volume removed (m³)"), 12),
        (_("Items installed"), 10),
        (_("Activities held"), 10),
        (_("Description"), 40),
        (_("Entered by"), 12),
        (_("Entered at"), 17),
    ]
    ws = xlsx.sheet(book, _("Work logs"), columns, caption=caption)
    n = 0
    rows = entries(user, params).values_list(
        "worked_on",
        "unit__name",
        "kind",
        "person_times",
        "machine_times",
        "volume_removed",
        "items_installed",
        "activities_held",
        "description",
        "entered_by_name",
        "entered_at",
    )
    for day, unit, kind, *figures, description, by, at in rows.iterator(chunk_size=CHUNK):
        n += 1
        xlsx.append(ws, [n, day, unit, kinds.get(kind, kind), *figures, description, by, at])
        if n % CHUNK == 0:
            progress(n)
    logs = scoped_logs(user, params)
    summary = xlsx.sheet(
        book, _("Totals"), [(_("Unit / kind"), 24)] + [(h, 12) for h in totals_headers()]
    )
    xlsx.append(summary, [_("All"), *totals_cells(totals(logs, period))])
    for unit_obj, t in totals_by(logs, period, "unit"):
        xlsx.append(summary, [unit_obj.name, *totals_cells(t)])
    summary.append([])
    for kind, t in totals_by(logs, period, "kind"):
        xlsx.append(summary, [str(kinds[kind]), *totals_cells(t)])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    progress(n)
    return n


def briefing_paragraph(t: Totals, period: Period) -> str:
    return _(
        "In %(period)s the units entered %(entries)s work records: %(persons)s person-times "
        "and %(machines)s machine-times were put in, %(volume)s m³ of rubbish was removed, "
        "%(items)s items were installed and %(activities)s activities were held."
    ) % {
        "period": period.label(),
        "entries": word.number(t.entries),
        "persons": word.number(t.person_times),
        "machines": word.number(t.machine_times),
        "volume": word.number(t.volume_removed),
        "items": word.number(t.items_installed),
        "activities": word.number(t.activities_held),
    }


def add_worklog_section(doc: Any, logs: QuerySet[WorkLog], period: Period) -> Totals:
    """The work-log part of a briefing or bulletin: the sums, by kind and by unit (bounded:
    the units are a fixed list, a few dozen)."""
    kinds = dict(ActivityKind.choices)
    t = totals(logs, period)
    word.paragraph(doc, briefing_paragraph(t, period))
    headers = totals_headers()
    by_kind = totals_by(logs, period, "kind")
    if by_kind:
        word.table(
            doc,
            [_("Activity kind"), *headers],
            [[str(kinds[k]), *map(word.number, totals_cells(v))] for k, v in by_kind],
        )
    by_unit = totals_by(logs, period, "unit")
    if by_unit:
        word.paragraph(doc, "")
        word.table(
            doc,
            [_("Unit"), *headers],
            [[u.name, *map(word.number, totals_cells(v))] for u, v in by_unit],
        )
    return t


def write_briefing(
    user: Any, params: dict[str, Any], now: dt.datetime, path: Path, progress: Progress
) -> int:
    """The work briefing (工作简报): the period's sums, by kind and unit, and highlights."""
    period = period_of(params)
    logs = scoped_logs(user, params)
    doc = word.new_document()
    word.title(
        doc,
        _("Work briefing"),
        _("%(period)s · issued %(day)s")
        % {"period": period.label(), "day": timezone.localdate(now).isoformat()},
    )
    word.heading(doc, _("1. The work in figures"))
    add_worklog_section(doc, logs, period)
    word.heading(doc, _("2. Highlights"))
    kinds = dict(ActivityKind.choices)
    top = (
        current(in_period(logs, period))
        .select_related("unit")
        .order_by("-person_times", "-volume_removed", "id")[:HIGHLIGHTS]
    )
    any_top = False
    for entry in top:
        any_top = True
        text = _(
            "%(day)s, %(unit)s, %(kind)s: %(persons)s person-times, %(volume)s m³. %(what)s"
        ) % {
            "day": entry.worked_on.isoformat(),
            "unit": entry.unit.name,
            "kind": kinds.get(entry.kind, entry.kind),
            "persons": word.number(entry.person_times),
            "volume": word.number(entry.volume_removed),
            "what": entry.description,
        }
        word.paragraph(doc, text.strip())
    if not any_top:
        word.paragraph(doc, _("No work was entered in this period."))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    progress(1)
    return 1


def _count_entries(user: Any, params: dict[str, Any], now: dt.datetime) -> int:
    return entries(user, params).count()


def _one(user: Any, params: dict[str, Any], now: dt.datetime) -> int:
    return 1


EXPORTERS: dict[str, Exporter] = {
    ExportKind.WORKLOGS_XLSX: Exporter(
        suffix=".xlsx",
        count=_count_entries,
        write=write_worklogs,
        name=lambda params, now: _("work-logs-%(period)s.xlsx") % {"period": params.get("period")},
    ),
    ExportKind.BRIEFING_DOCX: Exporter(
        suffix=".docx",
        count=_one,
        write=write_briefing,
        name=lambda params, now: (
            _("work-briefing-%(period)s.docx") % {"period": params.get("period")}
        ),
    ),
}
