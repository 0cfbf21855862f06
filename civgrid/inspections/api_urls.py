"""This app's routes in the JSON API; included into /api/v1/ under the "api" namespace."""

from django.urls import URLPattern, URLResolver, path

from civgrid.inspections import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("inspections/", api.InspectionListView.as_view(), name="inspection-list"),
    path("inspections/at-risk/", api.AtRiskView.as_view(), name="inspection-at-risk"),
    path("inspections/<int:pk>/", api.InspectionDetailView.as_view(), name="inspection-detail"),
    path("inspections/<int:pk>/sites/", api.InspectionSitesView.as_view(), name="inspection-sites"),
    path(
        "inspections/<int:pk>/sites/<int:site_pk>/checklist/",
        api.ChecklistView.as_view(),
        name="inspection-checklist",
    ),
    path("inspections/<int:pk>/scores/", api.ScoresView.as_view(), name="inspection-scores"),
]
