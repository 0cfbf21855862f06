from django.urls import URLPattern, URLResolver, path

from civgrid.volunteers import reports, views

app_name = "volunteers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.activities, name="activities"),
    path("activities/new/", views.publish, name="publish"),
    path("activities/<int:pk>/", views.activity, name="activity"),
    path("activities/<int:pk>/confirm/<int:participation>/", views.confirm, name="confirm"),
    path("a/<str:code>/", views.scan, name="scan"),
    path("a/<str:code>/sign-up/", views.sign_up, name="sign_up"),
    path("a/<str:code>/scan/", views.scan_post, name="scan_post"),
    path("register/", views.register, name="register"),
    path("register/<int:pk>/", views.volunteer, name="volunteer"),
    path("register/import/", views.import_view, name="import"),
    path("register/import/template.xlsx", views.import_template, name="import_template"),
    path("register/<int:pk>/certificate.docx", reports.certificate, name="certificate"),
    path("figures/", reports.figures, name="figures"),
    path("figures.xlsx", reports.figures_xlsx, name="figures_xlsx"),
    path("export.xlsx", reports.national_export, name="national_export"),
    path("me/", views.me, name="me"),
    path("join/", views.join, name="join"),
]
