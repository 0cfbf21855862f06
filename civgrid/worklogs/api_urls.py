"""This app's routes in the JSON API; included into /api/v1/ under the "api" namespace."""

from django.urls import URLPattern, URLResolver, path

from civgrid.worklogs import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("worklogs/", api.WorkLogList.as_view(), name="worklogs-list"),
    path("worklogs/totals/", api.WorkLogTotals.as_view(), name="worklogs-totals"),
    path(
        "worklogs/<int:pk>/corrections/",
        api.WorkLogCorrection.as_view(),
        name="worklogs-correction",
    ),
]
