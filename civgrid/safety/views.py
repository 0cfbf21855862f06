"""Pages of the safety checklists (安全检查表): editions, items per venue kind, import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civgrid.enterprises.models import Kind
from civgrid.org.decorators import office_required
from civgrid.org.models import Role
from civgrid.org.queries import role_of
from civgrid.safety import actions
from civgrid.safety.excel import template_workbook
from civgrid.safety.forms import ChecklistImportForm
from civgrid.safety.models import Checklist
from civgrid.safety.queries import CHECKLIST_ROLES, editions, items_for_kind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def checklist(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """An edition (default: the current one), its items for a venue kind or all of them."""
    if role_of(request.user) not in CHECKLIST_ROLES:
        raise PermissionDenied
    found = get_object_or_404(Checklist, pk=pk) if pk is not None else Checklist.current()
    kind = request.GET.get("kind", "")
    items = []
    if found is not None:
        items = items_for_kind(kind, found) if kind in Kind.values else list(found.items.all())
    context = {
        "checklist": found,
        "editions": editions(),
        "items": items,
        "kind": kind,
        "kinds": Kind.choices,
        "kind_labels": dict(Kind.choices),
        "is_office": role_of(request.user) == Role.OFFICE,
    }
    return render(request, "safety/checklist.html", context)


@office_required
@require_POST
def make_current(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Checklist, pk=pk)
    if actions.make_current(found, actor=request.user):
        messages.success(request, _("Checks now use this edition."))
    return redirect("safety:checklist_edition", pk=found.pk)


@office_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload a checklist edition (检查表导入); errors come back as a table."""
    form = ChecklistImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = actions.import_checklist(
            data["file"].read(),
            actor=request.user,
            code=data["code"],
            name=data["name"],
            source_name=data["file"].name,
            dry_run=data["dry_run"],
            make_current=data["make_current"],
        )
    return render(request, "safety/import.html", {"form": form, "result": result})


@office_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "安全检查表模板.xlsx")
    return response
