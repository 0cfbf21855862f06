"""Appraisal schemes in the JSON API (read-only): the list and one version as a tree.
Schemes are kept through the workbook (page or `import-scheme` command).

Readers are the office, inspectors, responsible leaders and unit clerks; a scheme of another
district is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civgrid.api import Pagination, error_response, parse_query
from civgrid.appraisals import queries
from civgrid.appraisals.models import (
    Band,
    Criterion,
    Dimension,
    PartyBranch,
    ReviewLevel,
    Scheme,
    ScoringPoint,
)
from civgrid.org.queries import role_of

NOT_AUTHENTICATED = error_response("No or invalid credentials (token or session).")
FORBIDDEN = error_response("Your role does not read appraisal schemes.")


class CanReadSchemes(BasePermission):
    message = gettext_lazy("Your role does not read appraisal schemes.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return queries.can_read(request.user)


PERMISSIONS = [IsAuthenticated, CanReadSchemes]


class SchemeSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True, allow_null=True)
    point_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Scheme
        fields = [
            "id",
            "code",
            "version",
            "name",
            "subject_kind",
            "rule",
            "status",
            "quota_rank",
            "quota_percent",
            "region",
            "description",
            "published_at",
            "point_count",
        ]
        read_only_fields = fields


class ScoringPointSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScoringPoint
        fields = ["code", "text", "max_points", "evidence", "evidence_kind", "is_veto"]
        read_only_fields = fields


class CriterionSerializer(serializers.ModelSerializer):
    points = ScoringPointSerializer(many=True, read_only=True)

    class Meta:
        model = Criterion
        fields = ["code", "name", "points"]
        read_only_fields = fields


class DimensionSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Dimension
        fields = ["code", "name", "pass_mark", "criteria"]
        read_only_fields = fields


class LevelSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, allow_null=True)

    class Meta:
        model = ReviewLevel
        fields = ["order", "name", "by", "unit"]
        read_only_fields = fields


class BandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Band
        fields = ["label", "min_score"]
        read_only_fields = fields


class SchemeTreeSerializer(SchemeSerializer):
    dimensions = DimensionSerializer(many=True, read_only=True)
    levels = LevelSerializer(many=True, read_only=True)
    bands = BandSerializer(many=True, read_only=True)

    class Meta(SchemeSerializer.Meta):
        fields = [*SchemeSerializer.Meta.fields, "dimensions", "levels", "bands"]
        read_only_fields = fields


def _schemes(request: Request) -> QuerySet[Scheme]:
    return (
        queries.schemes_for_user(request.user)
        .select_related("region")
        .annotate(point_count=Count("points"))
    )


class SchemeListView(generics.ListAPIView):
    """Appraisal schemes (考评方案), every version, by code. Not paginated."""

    pagination_class = None
    permission_classes = PERMISSIONS
    serializer_class = SchemeSerializer

    def get_queryset(self) -> QuerySet[Scheme]:
        return _schemes(self.request)

    @extend_schema(
        summary="Appraisal schemes",
        responses={200: SchemeSerializer(many=True), 401: NOT_AUTHENTICATED, 403: FORBIDDEN},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class SchemeDetailView(APIView):
    """One version of a scheme as a tree: stars/dimensions → criteria → scoring points, with
    its review levels and grade bands."""

    permission_classes = PERMISSIONS

    @extend_schema(
        summary="One scheme version as a tree",
        responses={
            200: SchemeTreeSerializer,
            401: NOT_AUTHENTICATED,
            403: FORBIDDEN,
            404: error_response("No such scheme version, or outside your scope."),
        },
    )
    def get(self, request: Request, code: str, version: int) -> Response:
        try:
            queries.get_scheme_for_user(request.user, code, version)
        except Http404 as exc:
            raise exceptions.NotFound(_("No such scheme.")) from exc
        scheme = (
            _schemes(request)
            .prefetch_related("dimensions__criteria__points", "levels__unit", "bands")
            .get(code=code, version=version)
        )
        return Response(SchemeTreeSerializer(scheme).data)


# --- party branches ------------------------------------------------------------------------


class BranchSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    parent_unit = serializers.CharField(source="parent_unit.code", read_only=True, allow_null=True)
    unit = serializers.CharField(source="unit.code", read_only=True, allow_null=True)
    secretary_phone = serializers.CharField(source="masked_phone", read_only=True)

    class Meta:
        model = PartyBranch
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "region",
            "parent_committee",
            "parent_unit",
            "unit",
            "secretary",
            "secretary_phone",
            "member_count",
            "is_active",
        ]
        read_only_fields = fields


class BranchFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=PartyBranch.Kind.choices, required=False, help_text="Only branches of this type."
    )


class CanReadBranches(BasePermission):
    message = gettext_lazy("Your role does not read the party-branch register.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return role_of(request.user) in queries.BRANCH_READERS


class BranchListView(generics.GenericAPIView):
    """The party-branch register (党支部名册) in your scope: the office, inspectors and leaders
    their districts' branches, a unit clerk their unit's and those it reviews. Phones masked."""

    permission_classes = [IsAuthenticated, CanReadBranches]
    pagination_class = Pagination
    serializer_class = BranchSerializer

    @extend_schema(
        summary="Party branches",
        parameters=[BranchFilterSerializer],
        responses={
            200: BranchSerializer(many=True),
            400: error_response("A filter value is not valid."),
            401: NOT_AUTHENTICATED,
            403: error_response("Your role does not read the party-branch register."),
        },
    )
    def get(self, request: Request) -> Response:
        params = parse_query(BranchFilterSerializer, request)
        branches = queries.branches_for_user(request.user).select_related(
            "region", "parent_unit", "unit"
        )
        if kind := params.get("kind"):
            branches = branches.filter(kind=kind)
        page = self.paginate_queryset(branches)
        return self.get_paginated_response(BranchSerializer(page, many=True).data)
