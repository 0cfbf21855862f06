"""View guards by role (the role comes from civgrid.org.queries.role_of, nowhere else)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from civgrid.org.models import Role
from civgrid.org.queries import role_of


def office_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only the campaign office (创建办) keeps grids, units and people: others get 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if role_of(request.user) != Role.OFFICE:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
