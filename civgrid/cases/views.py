"""Pages of the ledger (问题整改台账): the ledger, a case with its actions, the report form.

Thin views: parse the form, fetch through civgrid.cases.queries, call the action, render. An
htmx request gets the partial (`_…html`), a normal request the full page that includes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from civgrid.cases import deadlines
from civgrid.cases.actions import ACTIONS, CaseActionError, available_actions
from civgrid.cases.forms import (
    ACTION_FORMS,
    ActionForm,
    LedgerFilterForm,
    ReportForm,
    action_form,
    overdue_q,
)
from civgrid.cases.models import Case
from civgrid.cases.photos import photo_response
from civgrid.cases.queries import (
    can_see,
    cases_for_user,
    get_case_for_user,
    may_see_full_phone,
    visible_original,
)
from civgrid.cases.reporting import report_case
from civgrid.cases.workflow import OPEN_STATES, TRANSITIONS, Status

PAGE_SIZE = 50


def _wants_partial(request: HttpRequest) -> bool:
    """htmx swaps a partial in; a history restore (back button) needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def _render(
    request: HttpRequest, page: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, partial if _wants_partial(request) else page, context, status=status)
    # The same URL answers with a partial or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _tiles() -> dict[str, str]:
    """The base map; without a tile URL the maps still draw the grids and the point."""
    return {"url": settings.CIVGRID_TILE_URL, "attribution": settings.CIVGRID_TILE_ATTRIBUTION}


# --- the ledger ------------------------------------------------------------------------------


@login_required
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    scope = cases_for_user(request.user)
    filters = LedgerFilterForm(request.GET or None, user=request.user)
    cases = filters.filter(scope, now).select_related("category", "grid__parent", "unit")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = scope.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATES)),
        overdue=Count("id", filter=overdue_q(now)),
        submitted=Count("id", filter=Q(status=Status.SUBMITTED)),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
    )
    active = sum(1 for key, value in request.GET.items() if key != "page" and value)
    context = {
        "filters": filters,
        "page": page,
        "counts": counts,
        "now": now,
        "active_filters": active,
    }
    return _render(request, "cases/ledger.html", "cases/_ledger_table.html", context)


# --- one case --------------------------------------------------------------------------------


def _case_context(
    request: HttpRequest,
    case: Case,
    failed: ActionForm | None = None,
    failed_name: str | None = None,
) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    names = available_actions(case, user)  # type: ignore[arg-type]
    forms = []
    for name in names:
        form = failed if name == failed_name else action_form(name, case, user)
        forms.append((name, TRANSITIONS[name], form))
    if failed is not None and failed_name is not None and failed_name not in names:
        # The action is no longer open (or never was): keep the form so what the user typed
        # can still be read and copied, but do not offer to send it.
        forms.insert(0, (failed_name, TRANSITIONS[failed_name], failed))
    days = deadlines.working_days_for(case.category, case.urgency)
    original = visible_original(user, case)
    point = [case.longitude, case.latitude] if case.longitude is not None else None
    grid = case.grid.geometry if case.grid else None
    return {
        "map_data": {"point": point, "grid": grid} if point or grid else None,
        "map_id": f"case-map-{case.pk}",
        "tiles": _tiles(),
        "case": case,
        "now": now,
        "events": case.events.prefetch_related("photos"),
        "photos": case.photos.all(),
        "action_forms": forms,
        "available": names,
        "failed_name": failed_name,
        "working_days": days,
        "default_due": deadlines.compute_due_at(case.category, case.urgency, now),
        "overdue": case.is_overdue(now),
        "full_phone": may_see_full_phone(user, case),
        "original": original,
        "original_hidden": case.duplicate_of_id is not None and original is None,
    }


def _render_case(
    request: HttpRequest, case: Case, status: int = 200, **kwargs: Any
) -> HttpResponse:
    context = _case_context(request, case, **kwargs)
    return _render(request, "cases/detail.html", "cases/_case.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, get_case_for_user(request.user, pk))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Carry out one action on a case, then show the case again (PRG; htmx: the partial)."""
    if name not in ACTION_FORMS:
        raise Http404("No such action")
    case = get_case_for_user(request.user, pk)
    form = action_form(name, case, request.user, request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            action = cast(Callable[..., Case], ACTIONS[name])
            action(
                case,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.action_kwargs(),
            )
        except CaseActionError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
            status = exc.http_status
        else:
            return _after_action(request, case, name)
    # Nothing was written: show the case as it is now, with the error beside the form the
    # user filled in, still holding what they typed.
    case = get_case_for_user(request.user, pk)
    return _render_case(request, case, status=status, failed=form, failed_name=name)


def _after_action(request: HttpRequest, case: Case, name: str) -> HttpResponse:
    case.refresh_from_db()
    messages.success(
        request,
        _("%(action)s: done. %(code)s is now “%(status)s”.")
        % {
            "action": TRANSITIONS[name].label,
            "code": case.tracking_code,
            "status": case.get_status_display(),
        },
    )
    if not can_see(request.user, case):
        # E.g. a unit returned the case: it is no longer theirs to see.
        messages.info(request, _("The case has left your responsibility."))
        url = reverse("cases:ledger")
        return HttpResponseClientRedirect(url) if _wants_partial(request) else redirect(url)
    if _wants_partial(request):
        return _render_case(request, get_case_for_user(request.user, case.pk))
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_GET
def photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A case photo, served only to those who may see the case (not from a public /media/)."""
    return photo_response(get_case_for_user(request.user, pk), photo_pk)


# --- reporting -------------------------------------------------------------------------------


@never_cache  # coming back to the form must draw a fresh client key, not reuse the last one
@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                case, created = report_case(actor=request.user, **form.report_kwargs())  # type: ignore[arg-type]
            except CaseActionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return _after_report(request, case, created)
        status = 400
    else:
        form = ReportForm(user=request.user)
    had_files = bool(request.FILES)
    context = {
        "form": form,
        "had_files": had_files,
        "tiles": _tiles(),
        "max_photos": settings.CIVGRID_PHOTO_MAX_COUNT,
    }
    return render(request, "cases/report.html", context, status=status)


def _after_report(request: HttpRequest, case: Case, created: bool) -> HttpResponse:
    if created:
        messages.success(
            request,
            _("Reported. Tracking code %(code)s: keep it to follow the case.")
            % {"code": case.tracking_code},
        )
    else:
        messages.info(
            request,
            _("This report had already been received (the form was sent twice): it is %(code)s.")
            % {"code": case.tracking_code},
        )
    return redirect("cases:detail", pk=case.pk)
