"""This app's routes in the JSON API; included into /api/v1/ under the "api" namespace."""

from django.urls import URLPattern, URLResolver, path

from civgrid.bulletins import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("exports/", api.ExportList.as_view(), name="bulletins-export-list"),
    path("exports/<int:pk>/", api.ExportDetail.as_view(), name="bulletins-export-detail"),
]
