"""Pages of the enterprise file (一企一档).

Thin views: enterprises come through civgrid.enterprises.queries (outside one's scope: 404),
changes go through civgrid.enterprises.actions, a form's values through the import's row check.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civgrid.cases.errors import CaseActionError
from civgrid.enterprises import actions, history
from civgrid.enterprises.forms import DocumentForm, EnterpriseForm, EnterpriseImportForm
from civgrid.enterprises.imports import Lookups, check_row, template_workbook
from civgrid.enterprises.models import DocumentKind, Enterprise, Kind, SizeThreshold
from civgrid.enterprises.queries import (
    ENTERPRISE_ROLES,
    completeness,
    enterprises_for_user,
    expiring_documents,
    file_status,
    get_enterprise_for_user,
    incomplete_files,
    may_edit,
    may_see_contacts,
)
from civgrid.org.decorators import office_required
from civgrid.org.models import Role
from civgrid.org.queries import role_of
from civgrid.org.scope import scope_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILES_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR, Role.UNIT_CLERK})


def _require(request: HttpRequest, roles: frozenset[str]) -> None:
    if role_of(request.user) not in roles:
        raise PermissionDenied


@login_required
@require_GET
def enterprise_list(request: HttpRequest) -> HttpResponse:
    """The register (企业台账) of the enterprises I may see, searchable."""
    _require(request, ENTERPRISE_ROLES)
    qs = enterprises_for_user(request.user).filter(is_active=True).select_related("grid")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(address__icontains=q) | Q(credit_code__icontains=q.upper())
        )
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("name", "id"), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "kind": kind,
        "kinds": Kind.choices,
        "is_office": role_of(request.user) == Role.OFFICE,
    }
    return render(request, "enterprises/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One enterprise's file on one page: facts, contacts, documents, gaps and its history;
    the office and the regulating unit add documents here."""
    _require(request, ENTERPRISE_ROLES)
    enterprise = get_enterprise_for_user(request.user, pk)
    editable = may_edit(request.user, enterprise)
    form = DocumentForm(request.POST or None, request.FILES or None) if editable else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.add_document(
                    actor=request.user,  # type: ignore[arg-type]
                    enterprise=enterprise,
                    kind=data["kind"],
                    upload=data["file"],
                    number=data["number"],
                    issued_on=data["issued_on"],
                    expires_on=data["expires_on"],
                )
            except CaseActionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Document added to the file."))
                return redirect("enterprises:detail", pk=enterprise.pk)
        status = 400
    today = timezone.localdate()
    file = file_status(enterprise, today)
    threshold = SizeThreshold.objects.filter(kind=enterprise.kind).first()
    contacts = may_see_contacts(request.user, enterprise)

    def phone(name: str) -> str:
        return getattr(enterprise, name) if contacts else enterprise.masked(name)

    context = {
        "enterprise": enterprise,
        "file": file,
        "today": today,
        "legal_phone": phone("legal_phone"),
        "safety_phone": phone("safety_phone"),
        "exceeded": threshold.exceeded_by(enterprise) if threshold else [],
        "older_documents": [
            d
            for d in enterprise.documents.order_by("kind", "-uploaded_at")
            if d not in file.documents
        ],
        "history": history.entries(enterprise, request.user),
        "form": form,
        "editable": editable,
        "is_office": role_of(request.user) == Role.OFFICE,
    }
    return render(request, "enterprises/detail.html", context, status=status)


@login_required
@require_GET
def document(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    """A document's file, for those who may see the enterprise."""
    _require(request, ENTERPRISE_ROLES)
    enterprise = get_enterprise_for_user(request.user, pk)
    doc = enterprise.documents.filter(pk=doc_pk).first()
    if doc is None:
        raise Http404(_("No such document."))
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("No such document.")) from exc
    name = (
        f"{enterprise.name}-{DocumentKind(doc.kind).label}.{str(doc.file.name).rsplit('.', 1)[-1]}"
    )
    response = FileResponse(handle, filename=name)
    patch_cache_control(response, private=True, max_age=3600)
    return response


def _save_form(request: HttpRequest, enterprise: Enterprise | None) -> HttpResponse:
    scope = scope_of(request.user)
    initial = EnterpriseForm.initial_for(enterprise) if enterprise else None
    form = EnterpriseForm(request.POST or None, initial=initial, scope=scope)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = form.row_values()
            row, problems = check_row(0, values, Lookups.for_rows([values]), scope)
            for problem in problems:
                form.add_error(
                    problem.field if problem.field in form.fields else None, problem.message
                )
            if row is not None:
                actor = cast(User, request.user)
                try:
                    if enterprise is None:
                        enterprise = actions.register_enterprise(actor=actor, row=row)
                        messages.success(request, _("File opened."))
                    elif actions.update_enterprise(actor=actor, enterprise=enterprise, row=row):
                        messages.success(request, _("File updated."))
                except CaseActionError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    return redirect("enterprises:detail", pk=enterprise.pk)
        status = 400
    context = {"form": form, "enterprise": enterprise}
    return render(request, "enterprises/form.html", context, status=status)


@office_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Open a file (建档) by hand."""
    return _save_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, ENTERPRISE_ROLES)
    enterprise = get_enterprise_for_user(request.user, pk)
    if not may_edit(request.user, enterprise):
        raise PermissionDenied
    return _save_form(request, enterprise)


@office_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload the enterprise register (企业导入); errors come back as a table."""
    form = EnterpriseImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = actions.import_enterprises(
            form.cleaned_data["file"].read(),
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(request, "enterprises/import.html", {"form": form, "result": result})


@office_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "企业导入模板.xlsx")
    return response


@login_required
@require_GET
def files(request: HttpRequest) -> HttpResponse:
    """How complete the files are (一企一档 done for N of M), the files with gaps and the
    documents expired or expiring."""
    _require(request, FILES_ROLES)
    today = timezone.localdate()
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else Kind.ABOVE_SCALE
    context = {
        "today": today,
        "rows": completeness(request.user, today),
        "kind": kind,
        "kind_label": Kind(kind).label,
        "incomplete": incomplete_files(request.user, today, kind=kind),
        "expiring": expiring_documents(request.user, today)[:500],
    }
    return render(request, "enterprises/files.html", context)
