from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from civgrid.org.actions import import_people as import_people_action
from civgrid.org.decorators import office_required
from civgrid.org.forms import PeopleImportForm
from civgrid.org.imports import KIND_LABELS, ROLE_LABELS, template_workbook
from civgrid.org.logins import lockout_message, retry_after_seconds

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@office_required
@require_http_methods(["GET", "POST"])
def import_people(request: HttpRequest) -> HttpResponse:
    """Upload units and people as an Excel workbook (单位人员导入); errors come back as a table."""
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_people_action(
            form.cleaned_data["file"].read(),
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(
        request,
        "org/import_people.html",
        {
            "form": form,
            "result": result,
            "roles": ROLE_LABELS.values(),
            "kinds": KIND_LABELS.values(),
        },
    )


@office_required
@require_GET
def people_template(request: HttpRequest) -> HttpResponse:
    """The empty workbook with the expected sheets and headers (导入模板)."""
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "单位人员导入模板.xlsx")
    return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes's lockout answer (settings.AXES_LOCKOUT_CALLABLE) for the login page and the
    admin: the login page again, refused, saying when to retry (429, Retry-After)."""
    response = render(
        request,
        "registration/locked_out.html",
        {"message": lockout_message(request)},
        status=429,
    )
    response["Retry-After"] = str(retry_after_seconds(request))
    return response
