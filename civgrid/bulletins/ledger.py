"""The ledger as an Excel workbook (问题整改台账导出), in the columns offices keep it in.

The rows are the ledger page's: the reader's scope (civgrid.cases.queries.cases_for_user) with
the page's filters (civgrid.cases.forms.LedgerFilterForm), so an export never holds a case its
reader could not open. Rows are read with `values_list(...).iterator(chunk_size=2000)` (no model
instances, a bounded batch in memory) and appended to a write-only sheet, so memory stays flat
whatever the count. A second sheet holds the totals, computed in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civgrid.bulletins.registry import Progress
from civgrid.cases.forms import LedgerFilterForm
from civgrid.cases.models import Case, Source
from civgrid.cases.queries import cases_for_user, overdue_q
from civgrid.cases.workflow import CLOSED_VALUES, OPEN_STATES, Status
from civgrid.lib import xlsx
from civgrid.org.queries import AnyUser

CHUNK = 2000
# How often the job's progress is written: often enough for a smooth bar, rare enough not
# to slow the export.
PROGRESS_EVERY = 2000

# (database value, header, column width): the columns offices keep the ledger in.
FIELDS: tuple[tuple[str, Any, float], ...] = (
    ("", gettext_lazy("No."), 7),
    ("tracking_code", gettext_lazy("Tracking code"), 16),
    ("source", gettext_lazy("Source"), 12),
    ("category__name", gettext_lazy("Category"), 14),
    ("description", gettext_lazy("Problem"), 40),
    ("address", gettext_lazy("Address"), 28),
    ("grid__name", gettext_lazy("Grid"), 16),
    ("grid__parent__name", gettext_lazy("Area"), 12),
    ("unit__name", gettext_lazy("Responsible unit"), 18),
    ("created_at", gettext_lazy("Reported at"), 17),
    ("assigned_at", gettext_lazy("Assigned at"), 17),
    ("due_at", gettext_lazy("Deadline"), 17),
    ("closed_at", gettext_lazy("Closed at"), 17),
    ("status", gettext_lazy("Status"), 12),
    ("", gettext_lazy("Overdue"), 8),
    ("fixed_on_spot", gettext_lazy("Fixed on the spot"), 10),
    ("rework_count", gettext_lazy("Rework count"), 8),
    ("reply", gettext_lazy("Reply"), 30),
    ("satisfaction", gettext_lazy("Satisfaction"), 8),
)
DB_FIELDS = tuple(name for name, _h, _w in FIELDS if name)


def headers() -> list[tuple[str, float]]:
    return [(str(header), width) for _name, header, width in FIELDS]


def ledger_cases(
    user: AnyUser | None, params: Mapping[str, Any], now: dt.datetime
) -> QuerySet[Case]:
    """The cases of the ledger page for this reader and these filters, oldest first."""
    form = LedgerFilterForm(dict(params) or None)
    return form.filter(cases_for_user(user), now).order_by("created_at", "id")


def ledger_totals(cases: QuerySet[Case], now: dt.datetime) -> dict[str, int]:
    """The counts the ledger page shows, over these cases (one query)."""
    if cases.query.is_sliced:  # the first N rows only (the benchmark's 100,000)
        cases = Case.objects.filter(pk__in=cases.values("pk"))
    return cases.order_by().aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=OPEN_STATES)),
        overdue=Count("id", filter=overdue_q(now)),
        submitted=Count("id", filter=Q(status=Status.SUBMITTED)),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
        fixed_on_spot=Count("id", filter=Q(fixed_on_spot=True)),
    )


def write_ledger(
    path: Path | BinaryIO,
    cases: QuerySet[Case],
    now: dt.datetime,
    *,
    progress: Progress | None = None,
) -> int:
    """Write the workbook to `path` (or an open binary file); returns the number of case rows written."""
    # Labels translated once, not once per row.
    statuses = {value: str(label) for value, label in Status.choices}
    sources = {value: str(label) for value, label in Source.choices}
    yes, no = _("Yes"), _("No")
    closed = set(CLOSED_VALUES)
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsx.StreamBook(path)
    caption = _("Problem-rectification ledger (exported %(at)s)") % {
        "at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    }
    ws = book.sheet(_("Ledger"), headers(), caption=caption)
    n = 0
    for row in cases.values_list(*DB_FIELDS).iterator(chunk_size=CHUNK):
        (
            code,
            source,
            category,
            description,
            address,
            grid,
            area,
            unit,
            created_at,
            assigned_at,
            due_at,
            closed_at,
            status,
            fixed_on_spot,
            rework_count,
            reply,
            satisfaction,
        ) = row
        overdue = due_at is not None and status not in closed and now >= due_at
        n += 1
        ws.append(
            (
                n,
                code,
                sources.get(source, source),
                category,
                description,
                address,
                grid,
                area,
                unit,
                created_at,
                assigned_at,
                due_at,
                closed_at,
                statuses.get(status, status),
                yes if overdue else no,
                yes if fixed_on_spot else no,
                rework_count,
                reply,
                satisfaction,
            ),
        )
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)
    totals = ledger_totals(cases, now)
    summary = book.sheet(_("Totals"), [(_("Item"), 24), (_("Count"), 12)])
    for label, key in (
        (_("Cases"), "total"),
        (_("Open"), "open"),
        (_("Overdue cases"), "overdue"),
        (_("Awaiting verification"), "submitted"),
        (_("Closed"), "closed"),
        (_("Cases fixed on the spot"), "fixed_on_spot"),
    ):
        summary.append([label, totals[key]])
    book.close()
    if progress is not None:
        progress(n)
    return n
