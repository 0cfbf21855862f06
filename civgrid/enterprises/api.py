"""The enterprise register in the JSON API (/api/v1/enterprises/), read-only.

Thin views: lists go through civgrid.enterprises.queries (an enterprise outside the reader's
scope is a 404); phones are masked for those who may see an enterprise but not its contacts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civgrid.api import Pagination, error_response, parse_query
from civgrid.enterprises.models import Enterprise, Kind
from civgrid.enterprises.queries import (
    enterprises_for_user,
    file_status,
    may_see_contacts,
    with_documents,
)

NOT_AUTHENTICATED = error_response("No or invalid credentials (token or session).")
NOT_FOUND = error_response("No such enterprise, or it is outside your scope.")


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    number = serializers.CharField(read_only=True)
    issued_on = serializers.DateField(read_only=True, allow_null=True)
    expires_on = serializers.DateField(read_only=True, allow_null=True)


class EnterpriseSerializer(serializers.ModelSerializer):
    grid = serializers.SerializerMethodField()
    regulator = serializers.SerializerMethodField()
    legal_phone = serializers.SerializerMethodField()
    safety_phone = serializers.SerializerMethodField()
    file_gaps = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "kind",
            "credit_code",
            "address",
            "longitude",
            "latitude",
            "grid",
            "site",
            "regulator",
            "legal_person",
            "legal_phone",
            "safety_person",
            "safety_phone",
            "staff",
            "floor_area",
            "seats",
            "beds",
            "is_active",
            "file_gaps",
            "documents",
        ]
        read_only_fields = fields

    def get_grid(self, enterprise: Enterprise) -> dict[str, Any]:
        grid = enterprise.grid
        return {"id": grid.pk, "code": grid.code, "name": grid.name}

    def get_regulator(self, enterprise: Enterprise) -> dict[str, Any] | None:
        unit = enterprise.regulator
        return {"id": unit.pk, "code": unit.code, "name": unit.name} if unit else None

    def _phone(self, enterprise: Enterprise, name: str) -> str:
        if may_see_contacts(self.context["request"].user, enterprise):
            return str(getattr(enterprise, name))
        return enterprise.masked(name)

    def get_legal_phone(self, enterprise: Enterprise) -> str:
        """In full for the office, inspectors and the regulating unit; masked otherwise."""
        return self._phone(enterprise, "legal_phone")

    def get_safety_phone(self, enterprise: Enterprise) -> str:
        """In full for the office, inspectors and the regulating unit; masked otherwise."""
        return self._phone(enterprise, "safety_phone")

    def get_file_gaps(self, enterprise: Enterprise) -> list[str]:
        """What the file (一企一档) lacks today; empty when it is complete."""
        return file_status(enterprise, timezone.localdate()).gaps

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, enterprise: Enterprise) -> list[dict[str, Any]]:
        """The current document of each kind."""
        docs = file_status(enterprise, timezone.localdate()).documents
        return DocumentSerializer(docs, many=True).data  # type: ignore[return-value]


class EnterpriseFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    grid = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text=gettext_lazy("Grid id.")
    )
    q = serializers.CharField(
        required=False, max_length=100, help_text=gettext_lazy("Name, address or credit code.")
    )


def _base(request: Request) -> QuerySet[Enterprise]:
    return with_documents(enterprises_for_user(request.user)).select_related("grid", "regulator")


class EnterpriseListView(generics.ListAPIView):
    """Enterprises and small venues in your scope (一企一档), by name."""

    pagination_class = Pagination
    serializer_class = EnterpriseSerializer

    def get_queryset(self) -> QuerySet[Enterprise]:
        data = parse_query(EnterpriseFilterSerializer, self.request)  # type: ignore[arg-type]
        qs = _base(self.request)  # type: ignore[arg-type]
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("grid") is not None:
            qs = qs.filter(grid_id=data["grid"])
        if q := (data.get("q") or "").strip():
            qs = qs.filter(
                Q(name__icontains=q) | Q(address__icontains=q) | Q(credit_code=q.upper())
            )
        return qs.order_by("name", "id")

    @extend_schema(
        summary="Enterprises in your scope",
        parameters=[EnterpriseFilterSerializer],
        responses={200: EnterpriseSerializer(many=True), 401: NOT_AUTHENTICATED},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class EnterpriseDetailView(APIView):
    @extend_schema(
        summary="One enterprise's file",
        responses={200: EnterpriseSerializer, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        enterprise = _base(request).filter(pk=pk).first()
        if enterprise is None:
            raise exceptions.NotFound(_("No such enterprise."))
        return Response(EnterpriseSerializer(enterprise, context={"request": request}).data)
