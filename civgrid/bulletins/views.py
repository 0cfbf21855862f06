"""Pages of bulletins and exports: ask for an export, follow its progress, download it.

A small ledger export (up to DIRECT_MAX_ROWS rows) is written at once and sent from disk; a
larger one becomes an ExportJob whose page shows a progress bar that htmx refreshes every
second until the file is ready.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from civgrid.bulletins.jobs import get_job_for_user, jobs_for_user, request_export
from civgrid.bulletins.ledger import ledger_cases, write_ledger
from civgrid.bulletins.models import ExportKind, JobStatus
from civgrid.cases.forms import LedgerFilterForm
from civgrid.org.models import Role
from civgrid.org.queries import role_of
from civgrid.reports.periods import Period, PeriodError

# Up to this many rows the ledger is written during the request (a second or two).
DIRECT_MAX_ROWS = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BULLETIN_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER})
EXPORT_ROLES = BULLETIN_ROLES | {Role.UNIT_CLERK, Role.GRID_WORKER}
LEDGER_FILTERS = ("status", "overdue", "unit", "grid", "source", "category", "q")


def _require(request: HttpRequest, roles: frozenset[str]) -> None:
    if role_of(request.user) not in roles:
        raise Http404(_("No such page."))


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require(request, EXPORT_ROLES)
    context: dict[str, Any] = {
        "filters": LedgerFilterForm(request.GET or None),
        "may_bulletin": role_of(request.user) in BULLETIN_ROLES,
        "period": Period.current("month"),
        "previous_month": Period.current("month").previous(),
        "quarter": Period.current("quarter"),
        "jobs": jobs_for_user(request.user).filter(requested_by_id=request.user.pk)[:20],
    }
    return render(request, "bulletins/index.html", context)


@login_required
@require_GET
def ledger_export(request: HttpRequest) -> HttpResponseBase:
    """The ledger page's filters in, the workbook out (directly, or through a job)."""
    _require(request, EXPORT_ROLES)
    now = timezone.now()
    params = {k: v for k, v in request.GET.items() if k in LEDGER_FILTERS and v}
    cases = ledger_cases(request.user, params, now)
    if cases.count() > DIRECT_MAX_ROWS:
        job = request_export(
            actor=request.user, kind=ExportKind.LEDGER_XLSX, params={"filters": params}
        )
        return redirect("bulletins:job", pk=job.pk)
    # Written to an anonymous temporary file and streamed from disk, never held in memory.
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    write_ledger(spool, cases, now)
    spool.seek(0)
    name = _("ledger-%(day)s.xlsx") % {"day": timezone.localtime(now).strftime("%Y%m%d-%H%M")}
    return FileResponse(spool, as_attachment=True, filename=name, content_type=XLSX)


@login_required
@require_POST
def bulletin(request: HttpRequest) -> HttpResponse:
    _require(request, BULLETIN_ROLES)
    try:
        period = Period.parse(request.POST.get("period", ""))
    except PeriodError as exc:
        messages.error(request, str(exc))
        return redirect("bulletins:index")
    job = request_export(
        actor=request.user, kind=ExportKind.BULLETIN_DOCX, params={"period": period.key()}
    )
    return redirect("bulletins:job", pk=job.pk)


@never_cache
@login_required
@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress; htmx polls the partial until the job is finished."""
    export = get_job_for_user(request.user, pk)
    htmx = getattr(request, "htmx", None)
    template = "bulletins/_job.html" if htmx else "bulletins/job.html"
    response = render(request, template, {"job": export})
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The finished file, streamed from disk; someone else's job answers 404."""
    export = get_job_for_user(request.user, pk)
    path = export.path()
    if export.status != JobStatus.DONE or path is None or not path.exists():
        raise Http404(_("The file is not ready."))
    content_type = XLSX if path.suffix == ".xlsx" else DOCX
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=export.download_name or path.name,
        content_type=content_type,
    )
