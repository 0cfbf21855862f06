from django.urls import URLPattern, URLResolver, path

from civgrid.bulletins import views

app_name = "bulletins"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/download/", views.download, name="download"),
]
