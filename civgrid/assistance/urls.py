from django.urls import URLPattern, URLResolver, path

from civgrid.assistance import views

app_name = "assistance"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.roll, name="roll"),
    path("beneficiaries/<int:pk>/", views.beneficiary, name="beneficiary"),
    path("propose/", views.propose, name="propose"),
    path("runs/", views.run_list, name="runs"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("checks/", views.check_list, name="checks"),
    path("figures/", views.figures_view, name="figures"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
]
