from django.urls import path

from civgrid.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.ledger, name="ledger"),
]
