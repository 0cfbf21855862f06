from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from civgrid import views
from civgrid.org import views as org_views

urlpatterns = [
    path("", views.start, name="start"),
    path("login/", org_views.LoginView.as_view(), name="login"),
    path("login/code/", org_views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", org_views.admin_login),  # one login page, with lockout and code
    path("admin/", admin.site.urls),
    path("cases/", include("civgrid.cases.urls")),
    path("territory/", include("civgrid.territory.urls")),
    path("org/", include("civgrid.org.urls")),
    path("standards/", include("civgrid.standards.urls")),
    path("inspections/", include("civgrid.inspections.urls")),
    path("visits/", include("civgrid.visits.urls")),
    path("assistance/", include("civgrid.assistance.urls")),
    path("appraisals/", include("civgrid.appraisals.urls")),
    path("volunteers/", include("civgrid.volunteers.urls")),
    path("enterprises/", include("civgrid.enterprises.urls")),
    path("safety/", include("civgrid.safety.urls")),
    path("m/", include("civgrid.fieldwork.urls")),
    path("public/", include("civgrid.public.urls")),
    path("open311/", include("civgrid.open311.urls")),
    path("reports/", include("civgrid.reports.urls")),
    path("worklogs/", include("civgrid.worklogs.urls")),
    path("bulletins/", include("civgrid.bulletins.urls")),
    path("scheduling/", include("civgrid.scheduling.urls")),
    path("notices/", include("civgrid.notices.urls")),
    path("api/v1/", include("civgrid.api_urls")),
    path("ops/", include("civgrid.ops.urls")),
]
# Uploaded photos are never served from a public /media/ URL, not even in DEBUG: they are
# evidence about residents and are served through scoped views (cases:photo, api:case-photo).
handler500 = "civgrid.views.server_error"
