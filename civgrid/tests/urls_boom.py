"""A URLconf whose views fail, for test_server_error.py (the project's handler500)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path


def boom(request: HttpRequest, **kwargs: str) -> HttpResponse:
    raise RuntimeError("an unexpected bug")


urlpatterns = [
    path("api/v1/boom/", boom),
    re_path(r"^open311/v2/boom\.(?P<fmt>json|xml)$", boom),
    path("boom/", boom),
]
handler500 = "civgrid.views.server_error"
