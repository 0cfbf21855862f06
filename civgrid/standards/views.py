"""Pages of the evaluation framework: editions, the tree, import/export, diff, responsibility map.

The office manages editions; inspectors, responsible leaders and unit clerks read (a clerk only
their unit's standards); everyone else gets 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civgrid.org.decorators import office_required
from civgrid.standards import actions, queries
from civgrid.standards.diff import diff as diff_editions
from civgrid.standards.excel import SITE_KIND_LABELS, export_workbook
from civgrid.standards.forms import (
    ConfirmImportForm,
    FrameworkImportForm,
    MapFilterForm,
    TreeFilterForm,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_SESSION_KEY = "standards_upload"


def reader_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Office, inspectors, responsible leaders and unit clerks; others get 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not queries.can_read(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@reader_required
@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = (
        queries.frameworks_for_user(request.user)
        .select_related("imported_by")
        .annotate(
            item_count=Count("items", distinct=True),
            standard_count=Count("standards", distinct=True),
        )
    )
    return render(
        request,
        "standards/framework_list.html",
        {
            "frameworks": frameworks,
            "can_manage": queries.can_manage(request.user),
            "my_unit": queries.scoped_unit(request.user),
        },
    )


@reader_required
@require_GET
def framework_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The tree 项目 → 内容 → 标准 with points, site kinds, units and checklist questions."""
    framework = queries.get_framework_for_user(request.user, code)
    my_unit = queries.scoped_unit(request.user)
    form = TreeFilterForm(request.GET or None, units=queries.unit_choices_for_map(request.user))
    standards = queries.standards_for_user(request.user, framework)
    if form.is_valid():
        if unit := form.cleaned_data.get("unit"):
            standards = standards.filter(
                pk__in=framework.standards.filter(queries.unit_q(unit)).values("pk")
            )
        if q := form.cleaned_data.get("q", "").strip():
            standards = standards.filter(
                Q(text__icontains=q)
                | Q(code__icontains=q)
                | Q(content__name__icontains=q)
                | Q(content__item__name__icontains=q)
            )
    standard_list = list(queries.with_details(standards))
    return render(
        request,
        "standards/framework_detail.html",
        {
            "framework": framework,
            "tree": queries.tree(standard_list),
            "standard_count": len(standard_list),
            "points": sum(s.points for s in standard_list),
            "form": form,
            "my_unit": my_unit,
            "can_manage": queries.can_manage(request.user),
            "other_editions": queries.frameworks_for_user(request.user).exclude(pk=framework.pk),
        },
    )


@reader_required
@require_GET
def framework_export(request: HttpRequest, code: str) -> HttpResponse:
    """The edition as the Excel sheet offices keep (a clerk gets their unit's rows)."""
    framework = queries.get_framework_for_user(request.user, code)
    data = export_workbook(queries.standards_for_user(request.user, framework))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"测评体系-{framework.code}.xlsx"
    )
    return response


@office_required
@require_POST
def framework_make_current(request: HttpRequest, code: str) -> HttpResponse:
    framework = queries.get_framework_for_user(request.user, code)
    if actions.make_current(framework, actor=request.user):
        messages.success(request, _("%(name)s is now the current edition.") % {"name": framework})
    return redirect("standards:detail", code=framework.code)


def _upload_dir() -> Path:
    return Path(settings.VAR_DIR) / "standards-uploads"


def _upload_path(token: str) -> Path:
    return _upload_dir() / f"{token}.xlsx"


@office_required
@require_http_methods(["GET", "POST"])
def framework_import(request: HttpRequest) -> HttpResponse:
    """Step 1 checks the sheet (a dry run: row errors, counts); step 2 confirms the import.

    Between the steps the file waits on the server under a random token kept in the session,
    so the office does not upload it twice.
    """
    confirm = request.method == "POST" and "token" in request.POST
    form: FrameworkImportForm | ConfirmImportForm
    result = None
    confirm_form: ConfirmImportForm | None = None
    if confirm:
        form = ConfirmImportForm(request.POST)
        confirm_form = form  # shown again with its errors unless the import succeeds
        if form.is_valid():
            token = form.cleaned_data["token"]
            path = _upload_path(token)
            stored = request.session.get(UPLOAD_SESSION_KEY, {})
            if stored.get("token") != token or not path.exists():
                messages.error(request, _("The checked file has expired: upload it again."))
                return redirect("standards:import")
            result = actions.import_framework(
                path.read_bytes(),
                actor=request.user,
                source_name=stored.get("name", ""),
                **_edition_fields(form.cleaned_data),
            )
            if result.ok and result.framework is not None:
                path.unlink(missing_ok=True)
                request.session.pop(UPLOAD_SESSION_KEY, None)
                messages.success(
                    request,
                    _("Imported %(name)s: %(n)d standards.")
                    % {"name": result.framework, "n": result.standards},
                )
                return redirect("standards:detail", code=result.framework.code)
    else:
        form = FrameworkImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            result = actions.import_framework(
                data, actor=request.user, dry_run=True, **_edition_fields(form.cleaned_data)
            )
            if result.ok:
                token = uuid.uuid4().hex
                _upload_dir().mkdir(parents=True, exist_ok=True)
                _forget_upload(request)
                _upload_path(token).write_bytes(data)
                request.session[UPLOAD_SESSION_KEY] = {"token": token, "name": upload.name[:255]}
                confirm_form = ConfirmImportForm(
                    initial={**_edition_fields(form.cleaned_data), "token": token}
                )
    return render(
        request,
        "standards/import.html",
        {
            "form": form if not confirm else FrameworkImportForm(),
            "result": result,
            "confirm_form": confirm_form,
            "site_kinds": SITE_KIND_LABELS.values(),
        },
    )


def _edition_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in ("code", "name", "edition", "notes", "make_current")}


def _forget_upload(request: HttpRequest) -> None:
    stored = request.session.get(UPLOAD_SESSION_KEY) or {}
    token = stored.get("token", "")
    if len(token) == 32 and token.isalnum():
        _upload_path(token).unlink(missing_ok=True)


@reader_required
@require_GET
def framework_diff(request: HttpRequest) -> HttpResponse:
    """What changed from one edition to another (default: the previous edition → current)."""
    frameworks = list(queries.frameworks_for_user(request.user).order_by("imported_at", "pk"))
    by_code = {f.code: f for f in frameworks}
    new = by_code.get(request.GET.get("new", "")) or next(
        (f for f in frameworks if f.is_current), frameworks[-1] if frameworks else None
    )
    old = by_code.get(request.GET.get("old", ""))
    if old is None and new is not None:
        others = [f for f in frameworks if f.pk != new.pk]
        at = frameworks.index(new)
        old = frameworks[at - 1] if at > 0 else (others[0] if others else None)
    result = diff_editions(old, new) if old is not None and new is not None else None
    return render(
        request,
        "standards/diff.html",
        {"frameworks": frameworks, "old": old, "new": new, "diff": result},
    )


@reader_required
@require_GET
def responsibility_map(request: HttpRequest) -> HttpResponse:
    """Every standard with its units and sites; gaps (no lead unit, no site) counted on top."""
    form = MapFilterForm(
        request.GET or None,
        units=queries.unit_choices_for_map(request.user),
        regions=queries.area_choices(request.user),
    )
    form.fields["framework"].queryset = queries.frameworks_for_user(request.user)  # type: ignore[attr-defined]
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    framework = data.get("framework") or queries.current_framework_for_user(request.user)
    result = None
    if framework is not None:
        result = queries.responsibility_map(
            framework,
            user=request.user,
            region=data.get("region"),
            unit=data.get("unit") or queries.scoped_unit(request.user),
        )
    only_gaps = bool(data.get("gaps"))
    return render(
        request,
        "standards/map.html",
        {
            "form": form,
            "framework": framework,
            "map": result,
            "only_gaps": only_gaps,
            "my_unit": queries.scoped_unit(request.user),
        },
    )


@reader_required
@require_GET
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One standard: its wording, units, checklist, and the sites where it is checked."""
    standard = queries.get_standard_for_user(request.user, pk)
    regions = queries.area_choices(request.user)
    region = None
    if region_id := request.GET.get("region", ""):
        region = regions.filter(pk=int(region_id)).first() if region_id.isdigit() else None
    sites = list(queries.sites_for_standard(standard, region, request.user)[:500])
    return render(
        request,
        "standards/standard_detail.html",
        {
            "standard": standard,
            "framework": standard.framework,
            "units": standard.responsible_units(),
            "questions": standard.questions.all(),
            "sites": sites,
            "region": region,
            "regions": regions,
            "kind_labels": SITE_KIND_LABELS,
        },
    )
