"""This app's routes in the JSON API; included into /api/v1/ under the "api" namespace."""

from django.urls import URLPattern, URLResolver, path

from civgrid.reports import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/indicators/", api.IndicatorsView.as_view(), name="reports-indicators"),
    path("reports/rankings/", api.RankingsView.as_view(), name="reports-rankings"),
    path("reports/cases/", api.DrilldownView.as_view(), name="reports-cases"),
]
