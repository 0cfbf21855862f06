"""The JSON API, version 1 (/api/v1/). A guide with curl examples is docs/api.md."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from civgrid.api import NotFoundView, TokenView
from civgrid.cases import api as cases
from civgrid.org import api as org
from civgrid.territory import api as territory

app_name = "api"
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("cases/", cases.CaseListView.as_view(), name="case-list"),
    path("cases/<int:pk>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path(
        "cases/<int:pk>/photos/<int:photo_pk>/",
        cases.CasePhotoView.as_view(),
        name="case-photo",
    ),
    path("cases/by-code/<str:tracking_code>/", cases.CaseByCodeView.as_view(), name="case-by-code"),
    *[
        path(f"cases/<int:pk>/actions/{name}/", view.as_view(), name=f"case-{name}")
        for name, view in cases.ACTION_VIEWS.items()
    ],
    path(
        "cases/<int:pk>/actions/<str:name>/",
        cases.UnknownCaseActionView.as_view(),
        name="case-action",
    ),
    path("categories/", cases.CategoryListView.as_view(), name="categories"),
    path("units/", org.UnitListView.as_view(), name="units"),
    path("grids/", territory.GridListView.as_view(), name="grids"),
    path("grids/locate/", territory.GridLocateView.as_view(), name="grid-locate"),
    # Each app's own API routes (same "api" namespace, e.g. api:standard-list).
    path("", include("civgrid.standards.api_urls")),
    path("", include("civgrid.inspections.api_urls")),
    path("", include("civgrid.visits.api_urls")),
    path("", include("civgrid.fieldwork.api_urls")),
    path("", include("civgrid.public.api_urls")),
    path("", include("civgrid.reports.api_urls")),
    path("", include("civgrid.worklogs.api_urls")),
    path("", include("civgrid.bulletins.api_urls")),
    path("", include("civgrid.appraisals.api_urls")),
    path("", include("civgrid.enterprises.api_urls")),
    path("", include("civgrid.safety.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"", NotFoundView.as_view()),
]
