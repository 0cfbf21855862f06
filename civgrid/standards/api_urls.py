"""This app's routes in the JSON API; included into /api/v1/ under the "api" namespace."""

from django.urls import URLPattern, URLResolver, path

from civgrid.standards import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("frameworks/", api.FrameworkListView.as_view(), name="framework-list"),
    path("frameworks/<str:code>/", api.FrameworkDetailView.as_view(), name="framework-detail"),
    path("frameworks/<str:code>/diff/", api.FrameworkDiffView.as_view(), name="framework-diff"),
    path("standards/", api.StandardListView.as_view(), name="standard-list"),
    path("standards/<int:pk>/", api.StandardDetailView.as_view(), name="standard-detail"),
    path("responsibility-map/", api.ResponsibilityMapView.as_view(), name="responsibility-map"),
]
