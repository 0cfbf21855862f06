from django.urls import URLPattern, URLResolver, path

from civgrid.standards import views

app_name = "standards"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.framework_list, name="list"),
    path("import/", views.framework_import, name="import"),
    path("diff/", views.framework_diff, name="diff"),
    path("map/", views.responsibility_map, name="map"),
    path("standard/<int:pk>/", views.standard_detail, name="standard"),
    path("editions/<str:code>/", views.framework_detail, name="detail"),
    path("editions/<str:code>/export.xlsx", views.framework_export, name="export"),
    path("editions/<str:code>/make-current/", views.framework_make_current, name="make_current"),
]
