from django.urls import URLPattern, URLResolver, path

from civgrid.enterprises import views

app_name = "enterprises"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.create, name="create"),
    path("files/", views.files, name="files"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/documents/<int:doc_pk>/", views.document, name="document"),
]
