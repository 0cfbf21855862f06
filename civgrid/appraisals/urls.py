from django.urls import URLPattern, URLResolver, path

from civgrid.appraisals import cycle_views, views

app_name = "appraisals"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.scheme_list, name="schemes"),
    path("schemes/import/", views.scheme_import, name="scheme_import"),
    path("schemes/<str:code>/v<int:version>/", views.scheme_detail, name="scheme"),
    path("schemes/<str:code>/v<int:version>/export.xlsx", views.scheme_export, name="export"),
    path("schemes/<str:code>/v<int:version>/publish/", views.scheme_publish, name="publish"),
    path(
        "schemes/<str:code>/v<int:version>/new-version/",
        views.scheme_new_version,
        name="new_version",
    ),
    path("branches/", views.branch_list, name="branches"),
    path("branches/import/", views.branch_import, name="branch_import"),
    path("branches/template.xlsx", views.branch_template, name="branch_template"),
    path("cycles/", cycle_views.cycle_list, name="cycles"),
    path("cycles/open/", cycle_views.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/", cycle_views.cycle_detail, name="cycle"),
    path(
        "cycles/<int:pk>/certificates.docx",
        cycle_views.cycle_certificates,
        name="certificates",
    ),
    path("files/<int:pk>/", cycle_views.enrolment_detail, name="file"),
    path(
        "files/<int:pk>/evidence/<int:evidence_pk>/",
        cycle_views.evidence_file,
        name="evidence",
    ),
]
