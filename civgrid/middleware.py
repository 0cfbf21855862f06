"""Answers for the whole site that no single app owns."""

from __future__ import annotations

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# Seconds a client is asked to wait before sending again: a few writers' worth of queue.
RETRY_AFTER = 5
# Where clients are programs: they get the common JSON error body (civgrid.api).
JSON_PREFIXES = ("/api/", "/open311/")


def is_database_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked": another writer held the lock for longer than the busy
    timeout (settings.DATABASES OPTIONS). The settings make it rare; it is not a bug of the
    request, so it must not answer 500."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


class DatabaseBusyMiddleware:
    """A write that found the database busy answers 503 with Retry-After, never 500: JSON
    under /api/ and /open311/, a short page (without a database read) elsewhere. Nothing was
    written: the transaction that could not begin, or was refused, rolled back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        message = _("The server is busy: nothing was saved. Please send it again in a moment.")
        response: HttpResponse
        if request.path.startswith(JSON_PREFIXES):
            response = JsonResponse(
                {"error": "busy", "message": message, "field": None}, status=503
            )
        else:
            page = render_to_string("busy.html", {"message": message}, request=None)
            response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
