from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from civgrid.territory.queries import grids


@login_required
@require_GET
def grids_geojson(request: HttpRequest) -> JsonResponse:
    """All grid polygons as a GeoJSON FeatureCollection, for maps (report form, dashboards)."""
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": geometry,
            "properties": {"id": pk, "code": code, "name": name, "area": area_name},
        }
        for pk, code, name, geometry, area_name in grids()
        .exclude(geometry=None)
        .values_list("id", "code", "name", "geometry", "parent__name")
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})
