"""Pages of appraisal schemes: the list, one version's tree, import, export, publish, new
version. Readers see the schemes of their scope; the office that keeps a scheme changes it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civgrid.appraisals import actions, grading, queries
from civgrid.appraisals.branches import template_workbook
from civgrid.appraisals.excel import export_workbook
from civgrid.appraisals.forms import WorkbookImportForm
from civgrid.appraisals.models import PartyBranch
from civgrid.org.decorators import office_required
from civgrid.org.models import Role
from civgrid.org.queries import role_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reader_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not queries.can_read(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@reader_required
@require_GET
def scheme_list(request: HttpRequest) -> HttpResponse:
    schemes = (
        queries.schemes_for_user(request.user)
        .select_related("region")
        .annotate(point_count=Count("points"), max_points=Sum("points__max_points"))
    )
    return render(
        request,
        "appraisals/scheme_list.html",
        {"schemes": schemes, "can_manage": actions.may_manage(request.user)},
    )


@reader_required
@require_GET
def scheme_detail(request: HttpRequest, code: str, version: int) -> HttpResponse:
    scheme = queries.get_scheme_for_user(request.user, code, version)
    rule = grading.rule_of(scheme)
    return render(
        request,
        "appraisals/scheme_detail.html",
        {
            "scheme": scheme,
            "tree": queries.tree(scheme),
            "levels": scheme.levels.select_related("unit"),
            "bands": scheme.bands.all(),
            "max_points": rule.max_points,
            "quota_label": rule.label(scheme.quota_rank) if scheme.quota_rank else "",
            "problems": grading.check_rule(rule) if scheme.is_draft else [],
            "events": scheme.events.all(),
            "can_manage": actions.may_manage(request.user, scheme),
        },
    )


@reader_required
@require_GET
def scheme_export(request: HttpRequest, code: str, version: int) -> HttpResponse:
    scheme = queries.get_scheme_for_user(request.user, code, version)
    response = HttpResponse(export_workbook(scheme), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"考评方案-{scheme.code}-v{scheme.version}.xlsx"
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def scheme_import(request: HttpRequest) -> HttpResponse:
    if not actions.may_manage(request.user):
        raise PermissionDenied
    form = WorkbookImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = actions.import_scheme(
            form.cleaned_data["file"].read(),
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(request, "appraisals/import.html", {"form": form, "result": result})


def _change(
    request: HttpRequest, code: str, version: int, action: Callable[..., Any], done: str
) -> HttpResponse:
    scheme = queries.get_scheme_for_user(request.user, code, version)
    try:
        scheme = action(scheme, actor=request.user)
    except actions.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except actions.AppraisalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("appraisals:scheme", scheme.code, scheme.version)


@reader_required
@require_POST
def scheme_publish(request: HttpRequest, code: str, version: int) -> HttpResponse:
    return _change(request, code, version, actions.publish_scheme, _("Published."))


@reader_required
@require_POST
def scheme_new_version(request: HttpRequest, code: str, version: int) -> HttpResponse:
    return _change(request, code, version, actions.new_version, _("A new draft version."))


# --- the party-branch register ----------------------------------------------------------


@login_required
@require_GET
def branch_list(request: HttpRequest) -> HttpResponse:
    """The register (党支部名册) in the reader's scope, by type, with counts by type."""
    branches = queries.branches_for_user(request.user)
    if role_of(request.user) not in queries.BRANCH_READERS:
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    shown = branches.select_related("region", "parent_unit", "unit")
    if kind in PartyBranch.Kind.values:
        shown = shown.filter(kind=kind)
    if q := request.GET.get("q", "").strip()[:50]:
        shown = shown.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(secretary=q))
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "appraisals/branch_list.html",
        {
            "page": page,
            "counts": queries.counts_by_kind(branches),
            "total": branches.filter(is_active=True).count(),
            "kind": kind,
            "q": q,
            "can_import": role_of(request.user) == Role.OFFICE,
        },
    )


@office_required
@require_http_methods(["GET", "POST"])
def branch_import(request: HttpRequest) -> HttpResponse:
    form = WorkbookImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = actions.import_branches(
            form.cleaned_data["file"].read(),
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(request, "appraisals/branch_import.html", {"form": form, "result": result})


@office_required
@require_GET
def branch_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "党支部名册模板.xlsx")
    return response
