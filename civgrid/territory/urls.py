from django.urls import path

from civgrid.territory import views

app_name = "territory"
urlpatterns = [
    path("grids.geojson", views.grids_geojson, name="grids_geojson"),
    path("import/", views.import_regions, name="import_regions"),
]
