"""This app's routes in the JSON API; included into /api/v1/ under the "api" namespace."""

from django.urls import URLPattern, URLResolver, path

from civgrid.appraisals import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("appraisal-schemes/", api.SchemeListView.as_view(), name="appraisal-scheme-list"),
    path(
        "appraisal-schemes/<str:code>/v<int:version>/",
        api.SchemeDetailView.as_view(),
        name="appraisal-scheme-detail",
    ),
    path("party-branches/", api.BranchListView.as_view(), name="party-branch-list"),
]
