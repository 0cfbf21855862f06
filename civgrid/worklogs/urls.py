from django.urls import URLPattern, URLResolver, path

from civgrid.worklogs import views

app_name = "worklogs"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("export/", views.export, name="export"),
]
