"""Project-wide pages that belong to no one app: the per-role start page (待办)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civgrid.org.queries import role_of
from civgrid.todo import collect_panels


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """What needs me now, in the panels every app provides for my role (civgrid/todo.py)."""
    panels = collect_panels(request.user, role_of(request.user), timezone.now())
    return render(request, "todo.html", {"panels": panels})


def server_error(request: HttpRequest) -> HttpResponse:
    """An unexpected error (handler500; logged by Django before this runs) in the caller's
    error shape: the API's JSON body under /api/, Open311's error list under /open311/, a short
    page that needs no database or template context elsewhere."""
    from civgrid.middleware import refusal

    with translation.override(translation.get_language_from_request(request)):
        message = _(
            "Something went wrong on the server. Check whether what you sent was saved before "
            "sending it again."
        )
        return refusal(request, 500, "server_error", message, "500.html")
