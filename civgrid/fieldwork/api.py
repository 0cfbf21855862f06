"""Patrols in the JSON API (/api/v1/patrols/…), for the phone's offline queue.

The phone names a patrol with its own key when the worker taps "start" and uses that key in
the addresses of what follows (points, stop), so everything can be queued offline before the
server has answered. Every call is idempotent (see civgrid.fieldwork.actions).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civgrid.api import LATITUDE, LONGITUDE, Pagination, documented, error_response
from civgrid.fieldwork import actions
from civgrid.fieldwork.models import Patrol
from civgrid.fieldwork.queries import get_patrol_for_user, patrols_for_user

NOT_AUTHENTICATED = error_response("No or invalid credentials (token or session).")
NOT_FOUND = error_response("No such patrol, or it is not yours to see.")


class PatrolSerializer(serializers.ModelSerializer):
    grids = serializers.SerializerMethodField()
    duration_s = serializers.SerializerMethodField()

    class Meta:
        model = Patrol
        fields = [
            "id",
            "client_key",
            "worker_name",
            "started_at",
            "ended_at",
            "duration_s",
            "distance_m",
            "point_count",
            "grids",
            "note",
        ]
        read_only_fields = fields

    def get_grids(self, patrol: Patrol) -> list[dict[str, Any]]:
        return [{"id": g.pk, "code": g.code, "name": g.name} for g in patrol.grids.all()]

    def get_duration_s(self, patrol: Patrol) -> int | None:
        return int(patrol.duration(patrol.ended_at).total_seconds()) if patrol.ended_at else None


class PatrolTrackSerializer(PatrolSerializer):
    track = serializers.SerializerMethodField()

    class Meta(PatrolSerializer.Meta):
        fields = [*PatrolSerializer.Meta.fields, "track"]
        read_only_fields = fields

    def get_track(self, patrol: Patrol) -> dict[str, Any]:
        """The track as a GeoJSON LineString ([longitude, latitude] pairs)."""
        coordinates = [
            [lon, lat]
            for lon, lat in patrol.points.order_by("recorded_at").values_list(
                "longitude", "latitude"
            )
        ]
        return {"type": "LineString", "coordinates": coordinates}


class StartSerializer(serializers.Serializer):
    client_key = serializers.CharField(
        max_length=100, help_text=gettext_lazy("The phone's key for this patrol.")
    )
    started_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class PointSerializer(serializers.Serializer):
    recorded_at = serializers.DateTimeField()
    longitude = documented(serializers.FloatField, LONGITUDE)
    latitude = documented(serializers.FloatField, LATITUDE)
    accuracy = documented(
        serializers.FloatField,
        {"type": "number", "format": "double", "minimum": 0},
        required=False,
        allow_null=True,
        default=None,
    )


class PointsSerializer(serializers.Serializer):
    points = PointSerializer(many=True, max_length=actions.MAX_POINTS_PER_BATCH)  # type: ignore[call-arg]


class EndSerializer(serializers.Serializer):
    ended_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


def _own_patrol(request: Request, key: str) -> Patrol:
    patrol = Patrol.objects.filter(worker_id=request.user.pk, client_key=key).first()
    if patrol is None:
        raise exceptions.NotFound(_("No such patrol."))
    return patrol


def _body(request: Request, patrol: Patrol, **kw: Any) -> Response:
    return Response(PatrolSerializer(patrol, context={"request": request}).data, **kw)


class PatrolListView(generics.GenericAPIView):
    """Patrols you may see, newest first; and starting one (开始巡查)."""

    pagination_class = Pagination
    serializer_class = PatrolSerializer

    def get_queryset(self) -> QuerySet[Patrol]:
        return patrols_for_user(self.request.user).prefetch_related("grids")

    @extend_schema(summary="Patrols", responses={200: PatrolSerializer(many=True)})
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        data = PatrolSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Start a patrol",
        description="Idempotent: the same `client_key` returns the patrol already started.",
        request=StartSerializer,
        responses={
            201: OpenApiResponse(PatrolSerializer, description="Started."),
            200: OpenApiResponse(PatrolSerializer, description="Already started with this key."),
            400: error_response("Not valid."),
            403: error_response("Only grid workers patrol."),
        },
    )
    def post(self, request: Request) -> Response:
        form = StartSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        patrol, created = actions.start_patrol(
            actor=request.user,  # type: ignore[arg-type]
            client_key=form.validated_data["client_key"],
            started_at=form.validated_data["started_at"],
        )
        return _body(request, patrol, status=201 if created else 200)


class PatrolDetailView(APIView):
    @extend_schema(
        summary="One patrol with its track",
        responses={200: PatrolTrackSerializer, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        patrol = get_patrol_for_user(request.user, pk)
        return Response(PatrolTrackSerializer(patrol, context={"request": request}).data)


class PatrolPointsView(APIView):
    @extend_schema(
        summary="Add track points to your patrol",
        description="A point is identified by its `recorded_at`: a resent batch adds nothing.",
        parameters=[],
        request=PointsSerializer,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="`added`: how many were new."),
            400: error_response("A point is not valid; none was added."),
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, key: str) -> Response:
        patrol = _own_patrol(request, key)
        form = PointsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        added = actions.add_points(
            patrol,
            actor=request.user,  # type: ignore[arg-type]
            points=[actions.PointInput(**p) for p in form.validated_data["points"]],
        )
        patrol.refresh_from_db()
        data = PatrolSerializer(patrol, context={"request": request}).data
        return Response({**data, "added": added})


class PatrolEndView(APIView):
    @extend_schema(
        summary="Stop your patrol",
        description="Stopping a stopped patrol changes nothing.",
        request=EndSerializer,
        responses={200: PatrolSerializer, 400: error_response("Not valid."), 404: NOT_FOUND},
    )
    def post(self, request: Request, key: str) -> Response:
        patrol = _own_patrol(request, key)
        form = EndSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        patrol = actions.end_patrol(
            patrol,
            actor=request.user,  # type: ignore[arg-type]
            ended_at=form.validated_data["ended_at"],
            note=form.validated_data["note"],
        )
        return _body(request, patrol)
