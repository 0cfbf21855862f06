"""Read-only territory endpoints for API clients: the grids, and which grid holds a point."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civgrid.api import IdOrCodeField, error_response, parse_query
from civgrid.org.scope import grids_for
from civgrid.territory.models import Region
from civgrid.territory.queries import grids, grids_under, locate_grid

NOT_AUTHENTICATED = error_response("Not authenticated.")


class GridSerializer(serializers.ModelSerializer):
    area = serializers.CharField(
        source="parent.name", default=None, read_only=True, help_text="The parent 片区's name."
    )
    area_id = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "area", "area_id", "households", "residents"]
        read_only_fields = fields


class GridFilterSerializer(serializers.Serializer):
    region = IdOrCodeField(
        queryset=Region.objects.all(),
        label_text=gettext_lazy("region"),
        required=False,
        help_text=gettext_lazy("Only the grids under this street or 片区 (id or code)."),
    )


class GridListView(generics.ListAPIView):
    """Every grid (网格) with its 片区 (a district office's: its district's). Not paginated (a
    street has a few hundred)."""

    pagination_class = None
    serializer_class = GridSerializer

    def get_queryset(self) -> QuerySet[Region]:
        region = parse_query(GridFilterSerializer, self.request).get("region")  # type: ignore[arg-type]
        found = grids_under(region) if region is not None else grids()
        # A district office lists its district's grids (civgrid/org/scope.py).
        found = found.filter(pk__in=grids_for(self.request.user))
        return found.select_related("parent").order_by("code")

    @extend_schema(
        summary="Grids",
        parameters=[GridFilterSerializer],
        responses={
            200: GridSerializer(many=True),
            400: error_response("Unknown region."),
            401: NOT_AUTHENTICATED,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PointSerializer(serializers.Serializer):
    lon = serializers.FloatField(
        min_value=-180, max_value=180, help_text=gettext_lazy("Longitude (WGS84/GCJ-02).")
    )
    lat = serializers.FloatField(min_value=-90, max_value=90, help_text=gettext_lazy("Latitude."))


class GridLocateView(APIView):
    @extend_schema(
        summary="The grid containing a point",
        parameters=[PointSerializer],
        responses={
            200: GridSerializer,
            400: error_response("Missing or invalid coordinates."),
            401: NOT_AUTHENTICATED,
            404: error_response("The point is outside every grid."),
        },
    )
    def get(self, request: Request) -> Response:
        point = parse_query(PointSerializer, request)
        lon, lat = point["lon"], point["lat"]
        grid = locate_grid(lon, lat)
        if grid is not None and not grids_for(request.user).filter(pk=grid.pk).exists():
            grid = None  # another district's grid: as if the point were outside every grid
        if grid is None:
            raise exceptions.NotFound(
                _(
                    "No grid contains the point (%(lon)s, %(lat)s). Check the order: longitude "
                    "first, then latitude."
                )
                % {"lon": lon, "lat": lat}
            )
        grid = Region.objects.select_related("parent").get(pk=grid.pk)
        return Response(GridSerializer(grid).data)
