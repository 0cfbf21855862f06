"""Read-only reference lists of the organisation for API clients: responsible units."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from civgrid.api import error_response
from civgrid.org.models import Unit
from civgrid.org.scope import units_for


class UnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "kind_display", "phone"]
        read_only_fields = fields


class UnitListView(generics.ListAPIView):
    """Active responsible units (责任单位) that may work in the caller's district (the city's
    and the whole installation's included), e.g. to choose whom to assign a case. Not paginated."""

    pagination_class = None
    serializer_class = UnitSerializer

    def get_queryset(self) -> QuerySet[Unit]:
        # A district's office is offered its district's units and the city's, never another
        # district's (civgrid/org/scope.py).
        return units_for(self.request.user).filter(is_active=True)

    @extend_schema(
        summary="Active responsible units",
        responses={200: UnitSerializer(many=True), 401: error_response("Not authenticated.")},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
