from django.urls import URLPattern, URLResolver, path

from civgrid.safety import views

app_name = "safety"
urlpatterns: list[URLPattern | URLResolver] = [
    path("checklists/", views.checklist, name="checklist"),
    path("checklists/<int:pk>/", views.checklist, name="checklist_edition"),
    path("checklists/<int:pk>/current/", views.make_current, name="make_current"),
    path("checklists/import/", views.import_view, name="import"),
    path("checklists/import/template.xlsx", views.import_template, name="import_template"),
]
