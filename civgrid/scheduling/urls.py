from django.urls import path

from civgrid.scheduling import views

app_name = "scheduling"
urlpatterns = [path("", views.index, name="index")]
