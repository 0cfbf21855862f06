from django.urls import URLPattern, URLResolver

app_name = "bulletins"
urlpatterns: list[URLPattern | URLResolver] = []
