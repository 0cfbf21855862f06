"""This app's routes in the JSON API; included into /api/v1/ under the "api" namespace."""

from django.urls import URLPattern, URLResolver, path

from civgrid.enterprises import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("enterprises/", api.EnterpriseListView.as_view(), name="enterprise-list"),
    path("enterprises/<int:pk>/", api.EnterpriseDetailView.as_view(), name="enterprise-detail"),
]
