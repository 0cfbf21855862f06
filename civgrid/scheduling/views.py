from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from civgrid.org.models import Role
from civgrid.org.queries import role_of
from civgrid.scheduling.queries import failures, recent_runs, schedule_rows


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The schedule, the last runs and the failures (campaign office only)."""
    if role_of(request.user) != Role.OFFICE:
        raise PermissionDenied
    now = timezone.now()
    return render(
        request,
        "scheduling/index.html",
        {"rows": schedule_rows(now), "runs": recent_runs(), "failures": failures()},
    )
