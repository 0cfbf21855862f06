"""This app's routes in the JSON API; included into /api/v1/ under the "api" namespace."""

from django.urls import URLPattern, URLResolver, path

from civgrid.safety import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("safety/checklist/", api.ChecklistView.as_view(), name="safety-checklist"),
    path("safety/checks/", api.CheckListView.as_view(), name="safety-check-list"),
]
