"""Open311 GeoReport v2 routes: every resource ends in .json or .xml (the format)."""

from django.urls import URLPattern, URLResolver, path, re_path

from civgrid.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns: list[URLPattern | URLResolver] = [
    path("v2/", views.root, {"fmt": "xml"}, name="root"),
    re_path(r"^v2/discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, views.services, name="services"),
    re_path(r"^v2/services/(?P<code>[^/]+?)" + FMT, views.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, views.requests, name="requests"),
    re_path(r"^v2/requests/(?P<request_id>[^/]+?)" + FMT, views.request_detail, name="request"),
    # Anything else under v2/ answers the spec's error list, not Django's HTML 404.
    re_path(r"^v2/(?P<path>.+)$", views.not_found),
]
