from django.urls import path

from civgrid.org import views

app_name = "org"
urlpatterns = [
    path("import/", views.import_people, name="import_people"),
    path("import/template.xlsx", views.people_template, name="people_template"),
    path("two-factor/", views.two_factor, name="two_factor"),
]
