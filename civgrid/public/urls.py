from django.urls import URLPattern, URLResolver, path, re_path
from django.views.generic import RedirectView

from civgrid.public import views

app_name = "public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", RedirectView.as_view(pattern_name="public:report", permanent=False)),
    path("report/", views.report, name="report"),
    path("grids.geojson", views.grids_geojson, name="grids_geojson"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.status, name="status"),
    path("r/<str:code>/<str:token>/", views.private, name="private"),
    path("qr/", views.qr_index, name="qr_index"),
    path("qr/area/<str:code>/", views.qr_sheet, name="qr_sheet"),
    re_path(
        r"^qr/(?P<kind>grid|site)/(?P<code>[^/]+)\.(?P<fmt>svg|png)$",
        views.qr_image,
        name="qr_image",
    ),
]
