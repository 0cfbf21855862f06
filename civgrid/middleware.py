"""Answers for the whole site that no single app owns.

- RequestSizeLimitMiddleware: a request declaring more than CIVGRID_MAX_REQUEST_BYTES is
  answered 413 before a byte of its body is read, in the shape its caller reads errors in (the
  API's error body under /api/, Open311's error list under /open311/, a short page elsewhere).
  It sits first so that nothing (CSRF reading the form, the session) touches the body before it.
  Under WSGI Django never reads past Content-Length; the stream is capped as well for servers
  that hand over a body without one (chunked uploads through ASGI), so what is actually read is
  bounded too.
- DatabaseBusyMiddleware: a write that still found SQLite locked answers 503, never 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _


class BodyTooLarge(Exception):
    """More of the body was read than the cap allows."""


class _CappedStream:
    """A request body stream that refuses to yield more than `limit` bytes in all."""

    def __init__(self, stream: Any, limit: int) -> None:
        self.stream, self.left = stream, limit

    def _take(self, data: bytes) -> bytes:
        self.left -= len(data)
        if self.left < 0:
            raise BodyTooLarge
        return data

    def read(self, *args: Any) -> bytes:
        return self._take(self.stream.read(*args))

    def readline(self, *args: Any) -> bytes:
        return self._take(self.stream.readline(*args))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.CIVGRID_MAX_REQUEST_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return too_large(request)
        stream = getattr(request, "_stream", None)
        if stream is not None:
            request._stream = _CappedStream(stream, limit)  # type: ignore[assignment]
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, BodyTooLarge) or isinstance(exception.__cause__, BodyTooLarge):
            return too_large(request)
        return None


def refusal(request: HttpRequest, status: int, error: str, message: str, page: str) -> HttpResponse:
    """A whole-site refusal in the shape its caller reads errors in: the API's error body under
    /api/, Open311's error list under /open311/, the short `page` template elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"error": error, "message": message, "field": None}, status=status)
    if request.path_info.startswith("/open311/"):
        from civgrid.open311 import render

        try:
            fmt = resolve(request.path_info).kwargs.get("fmt", "json")
        except Resolver404:
            fmt = "json"
        return render.errors(fmt, status, message)
    return HttpResponse(render_to_string(page, {"message": message}, request=None), status=status)


def too_large(request: HttpRequest) -> HttpResponse:
    """413 in the caller's language and error shape."""
    limit_mb = settings.CIVGRID_MAX_REQUEST_BYTES // (1024 * 1024)
    with translation.override(translation.get_language_from_request(request)):
        message = _("The request is larger than %(n)d MB: send fewer or smaller files.") % {
            "n": limit_mb
        }
        return refusal(request, 413, "too_large", message, "413.html")


# Seconds a client is asked to wait before sending again: a few writers' worth of queue.
RETRY_AFTER = 5


def is_database_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked": another writer held the lock for longer than the busy
    timeout (settings.DATABASES OPTIONS). The settings make it rare; it is not a bug of the
    request, so it must not answer 500."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


class DatabaseBusyMiddleware:
    """A write that found the database busy answers 503 with Retry-After, never 500, in the
    caller's error shape (`refusal`; the page needs no database read). Nothing was
    written: the transaction that could not begin, or was refused, rolled back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        message = _("The server is busy: nothing was saved. Please send it again in a moment.")
        response = refusal(request, 503, "busy", message, "busy.html")
        response["Retry-After"] = str(RETRY_AFTER)
        return response
