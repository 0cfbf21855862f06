"""This app's routes in the JSON API; included into /api/v1/ under the "api" namespace."""

from django.urls import URLPattern, URLResolver, path

from civgrid.visits import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("households/", api.HouseholdListView.as_view(), name="household-list"),
    path("households/<int:pk>/", api.HouseholdDetailView.as_view(), name="household-detail"),
    path("visits/", api.VisitListView.as_view(), name="visit-list"),
    path("visit-plans/", api.PlanListView.as_view(), name="visit-plan-list"),
    path("visit-plans/<int:pk>/due/", api.PlanDueView.as_view(), name="visit-plan-due"),
]
