"""This app's routes in the JSON API; included into /api/v1/ under the "api" namespace."""

from django.urls import URLPattern, URLResolver, path

from civgrid.fieldwork import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("patrols/", api.PatrolListView.as_view(), name="patrol-list"),
    path("patrols/<int:pk>/", api.PatrolDetailView.as_view(), name="patrol-detail"),
    path("patrols/by-key/<str:key>/points/", api.PatrolPointsView.as_view(), name="patrol-points"),
    path("patrols/by-key/<str:key>/end/", api.PatrolEndView.as_view(), name="patrol-end"),
]
