from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from civgrid.org.decorators import office_required
from civgrid.org.queries import get_person, grid_ids_for_person
from civgrid.org.scope import grids_for
from civgrid.territory.actions import import_regions as import_regions_action
from civgrid.territory.forms import RegionImportForm


@login_required
@require_GET
def grids_geojson(request: HttpRequest) -> JsonResponse:
    """The grid polygons as a GeoJSON FeatureCollection, for maps (report form, dashboards): a
    district office's are its district's (civgrid/org/scope.py), everyone else's all of them.

    `mine` marks the grids the user answers for (a grid worker's grids, a leader's 片区), so a
    map can open on them instead of on the whole district.
    """
    person = get_person(request.user)
    mine = grid_ids_for_person(person) if person is not None else set()
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": geometry,
            "properties": {
                "id": pk,
                "code": code,
                "name": name,
                "area": area_name,
                "mine": pk in mine,
            },
        }
        for pk, code, name, geometry, area_name in grids_for(request.user)
        .exclude(geometry=None)
        .values_list("id", "code", "name", "geometry", "parent__name")
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@office_required
@require_http_methods(["GET", "POST"])
def import_regions(request: HttpRequest) -> HttpResponse:
    """Upload regions and grids as GeoJSON (区划/网格导入); errors come back as a table."""
    form = RegionImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_regions_action(
            form.cleaned_data["file"].read(),
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(request, "territory/import_regions.html", {"form": form, "result": result})
