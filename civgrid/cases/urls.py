from django.urls import path

from civgrid.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("report/", views.report, name="report"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<str:name>/", views.act, name="act"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo, name="photo"),
]
