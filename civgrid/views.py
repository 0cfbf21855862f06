"""Project-wide pages that belong to no one app: the per-role start page (待办)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from civgrid.org.queries import role_of
from civgrid.todo import collect_panels


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """What needs me now, in the panels every app provides for my role (civgrid/todo.py)."""
    panels = collect_panels(request.user, role_of(request.user), timezone.now())
    return render(request, "todo.html", {"panels": panels})
