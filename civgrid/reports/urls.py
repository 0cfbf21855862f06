from django.urls import URLPattern, URLResolver, path

from civgrid.reports import views

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.cases, name="cases"),
    path("rankings/", views.rankings, name="rankings"),
]
