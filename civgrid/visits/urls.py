from django.urls import URLPattern, URLResolver, path

from civgrid.visits import views

app_name = "visits"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.due, name="due"),
    path("households/", views.households, name="households"),
    path("households/<int:pk>/", views.household, name="household"),
    path("households/import/", views.import_view, name="import"),
    path("households/import/template.xlsx", views.import_template, name="import_template"),
    path("coverage/", views.coverage, name="coverage"),
    path("plans/<int:pk>/households/", views.plan_list, name="plan_list"),
]
