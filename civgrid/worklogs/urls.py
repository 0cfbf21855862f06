from django.urls import URLPattern, URLResolver

app_name = "worklogs"
urlpatterns: list[URLPattern | URLResolver] = []
