from django.urls import URLPattern, URLResolver, path

from civgrid.fieldwork import views

app_name = "fieldwork"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("patrol/", views.patrol, name="patrol"),
    path("outbox/", views.outbox, name="outbox"),
    path("sw.js", views.service_worker, name="sw"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("patrols/", views.patrols, name="patrols"),
    path("patrols/<int:pk>/", views.patrol_detail, name="patrol_detail"),
]
