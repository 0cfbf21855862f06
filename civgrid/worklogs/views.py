"""Pages of the work logs: the period's sums and entries, entering and correcting, exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civgrid.bulletins.jobs import request_export
from civgrid.bulletins.models import ExportKind
from civgrid.cases.actions import CaseActionError
from civgrid.worklogs import actions
from civgrid.worklogs.forms import CorrectionForm, WorkLogForm, period_from
from civgrid.worklogs.models import FIGURES, ActivityKind
from civgrid.worklogs.queries import (
    get_worklog_for_user,
    in_period,
    may_read,
    totals,
    totals_by,
    units_for_entry,
    worklogs_for_user,
)

PAGE_SIZE = 50


def _require_reader(request: HttpRequest) -> None:
    if not may_read(request.user):
        raise Http404(_("No such page."))


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    period, error = period_from(request.GET)
    logs = worklogs_for_user(request.user)
    entries = (
        in_period(logs, period).select_related("unit", "corrects").prefetch_related("correction")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = dict(ActivityKind.choices)
    context: dict[str, Any] = {
        "period": period,
        "period_error": error,
        "previous": period.previous(),
        "next": period.next(),
        "totals": totals(logs, period),
        "by_unit": totals_by(logs, period, "unit"),
        "by_kind": [(kinds[k], t) for k, t in totals_by(logs, period, "kind")],
        "page": page,
        "may_enter": units_for_entry(request.user).exists(),
    }
    return render(request, "worklogs/index.html", context)


def _save_error(form: Any, exc: CaseActionError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    if not units_for_entry(request.user).exists():
        raise Http404(_("No such page."))
    form = WorkLogForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = actions.record_work(
                    actor=request.user,
                    unit=data["unit"],
                    worked_on=data["worked_on"],
                    kind=data["kind"],
                    description=data.get("description") or "",
                    **form.figures(),
                )
            except CaseActionError as exc:
                _save_error(form, exc)
                status = exc.http_status
            else:
                messages.success(request, _("The work was entered."))
                return redirect(f"{_index_url()}?period={entry.worked_on:%Y-%m}")
    return render(request, "worklogs/form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_worklog_for_user(request.user, pk)
    if not units_for_entry(request.user).filter(pk=entry.unit_id).exists():
        raise Http404(_("No such page."))
    initial = {name: getattr(entry, name) for name in FIGURES}
    initial["description"] = entry.description
    form = CorrectionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            figures: dict[str, Any] = {
                k: v if v is not None else 0 for k, v in form.figures().items()
            }
            try:
                actions.correct_work(
                    entry,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    description=form.cleaned_data.get("description") or "",
                    **figures,
                )
            except CaseActionError as exc:
                _save_error(form, exc)
                status = exc.http_status
            else:
                messages.success(request, _("The correction was entered."))
                return redirect(f"{_index_url()}?period={entry.worked_on:%Y-%m}")
    return render(request, "worklogs/correct.html", {"form": form, "entry": entry}, status=status)


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    period, error = period_from(request.POST)
    if error:
        messages.error(request, error)
        return redirect(_index_url())
    kind = request.POST.get("kind")
    if kind not in (ExportKind.WORKLOGS_XLSX, ExportKind.BRIEFING_DOCX):
        raise Http404(_("No such export."))
    job = request_export(actor=request.user, kind=kind, params={"period": period.key()})
    return redirect("bulletins:job", pk=job.pk)


def _index_url() -> str:
    from django.urls import reverse

    return reverse("worklogs:index")
