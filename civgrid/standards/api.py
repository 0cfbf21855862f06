"""The evaluation framework in the JSON API (read-only): editions, standards, the
responsibility map and the difference between editions. Imports go through the page or the
`import-framework` command.

Readers are the office, inspectors, responsible leaders (every standard) and unit clerks (their
unit's standards); other roles get 403. A standard outside the reader's scope is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civgrid.api import IdOrCodeField, Pagination, documented, error_response, parse_query
from civgrid.cases.serializers import CategoryRefSerializer, UnitRefSerializer
from civgrid.org.models import Unit
from civgrid.standards import queries
from civgrid.standards.diff import FIELDS, diff
from civgrid.standards.excel import SITE_KIND_LABELS
from civgrid.standards.models import Framework, Standard
from civgrid.territory.models import Region, Site

NOT_AUTHENTICATED = error_response("No or invalid credentials (token or session).")
FORBIDDEN = error_response("Your role does not read the evaluation framework.")


class CanReadStandards(BasePermission):
    message = gettext_lazy("Your role does not read the evaluation framework.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return queries.can_read(request.user)


PERMISSIONS = [IsAuthenticated, CanReadStandards]


# --- serializers --------------------------------------------------------------------------------


class FrameworkSerializer(serializers.ModelSerializer):
    item_count = serializers.IntegerField(read_only=True)
    standard_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Framework
        fields = [
            "id",
            "code",
            "name",
            "edition",
            "is_current",
            "imported_at",
            "source_name",
            "notes",
            "item_count",
            "standard_count",
        ]
        read_only_fields = fields


class StandardSerializer(serializers.ModelSerializer):
    """One standard, flat, with the codes of its content and item."""

    framework = serializers.CharField(source="framework.code", read_only=True)
    item_code = serializers.CharField(source="content.item.code", read_only=True)
    item_name = serializers.CharField(source="content.item.name", read_only=True)
    content_code = serializers.CharField(source="content.code", read_only=True)
    content_name = serializers.CharField(source="content.name", read_only=True)
    site_kinds = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Kinds of site where it is checked: " + ", ".join(Site.Kind.values),
    )
    site_kind_labels = serializers.SerializerMethodField()
    lead_unit = UnitRefSerializer(read_only=True, allow_null=True)
    co_units = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Standard
        fields = [
            "id",
            "framework",
            "item_code",
            "item_name",
            "content_code",
            "content_name",
            "code",
            "text",
            "points",
            "site_kinds",
            "site_kind_labels",
            "lead_unit",
            "co_units",
            "category",
            "questions",
        ]
        read_only_fields = fields

    def get_site_kind_labels(self, obj: Standard) -> list[str]:
        return [SITE_KIND_LABELS.get(k, k) for k in obj.site_kinds]

    @extend_schema_field(UnitRefSerializer(many=True))
    def get_co_units(self, obj: Standard) -> Any:
        return UnitRefSerializer(obj.ordered_co_units(), many=True).data

    @extend_schema_field(CategoryRefSerializer(allow_null=True))
    def get_category(self, obj: Standard) -> Any:
        return CategoryRefSerializer(obj.category).data if obj.category is not None else None

    def get_questions(self, obj: Standard) -> list[str]:
        return [q.text for q in obj.questions.all()]


class ContentTreeSerializer(serializers.Serializer):
    code = serializers.CharField(source="content.code")
    name = serializers.CharField(source="content.name")
    standards = StandardSerializer(many=True)


class ItemTreeSerializer(serializers.Serializer):
    code = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.name")
    contents = ContentTreeSerializer(many=True)


class FrameworkTreeSerializer(FrameworkSerializer):
    items = serializers.SerializerMethodField()

    class Meta(FrameworkSerializer.Meta):
        fields = [*FrameworkSerializer.Meta.fields, "items"]
        read_only_fields = fields

    @extend_schema_field(ItemTreeSerializer(many=True))
    def get_items(self, obj: Framework) -> Any:
        return ItemTreeSerializer(self.context["tree"], many=True).data


class StandardFilterSerializer(serializers.Serializer):
    framework = serializers.CharField(
        required=False, help_text="Edition code; the current edition when left out."
    )
    unit = IdOrCodeField(
        queryset=Unit.objects.all(),
        label_text=gettext_lazy("unit"),
        required=False,
        help_text="Only standards this unit leads or works on (id or code).",
    )
    site_kind = documented(
        serializers.CharField,
        {"type": "string", "enum": list(Site.Kind.values)},
        required=False,
        help_text="Only standards checked at this kind of site: " + ", ".join(Site.Kind.values),
    )

    def validate_site_kind(self, value: str) -> str:
        if value not in Site.Kind.values:
            raise serializers.ValidationError(_("Unknown site kind: %(value)s.") % {"value": value})
        return value

    item = serializers.CharField(required=False, help_text="Item code (项目编码).")
    content = serializers.CharField(required=False, help_text="Content code (内容编码).")


class MapFilterSerializer(serializers.Serializer):
    framework = serializers.CharField(
        required=False, help_text="Edition code; the current edition when left out."
    )
    unit = IdOrCodeField(
        queryset=Unit.objects.all(),
        label_text=gettext_lazy("unit"),
        required=False,
        help_text="Only standards this unit leads or works on (id or code).",
    )
    region = IdOrCodeField(
        queryset=Region.objects.all(),
        label_text=gettext_lazy("region"),
        required=False,
        help_text="Count sites under this region only (id or code), e.g. a 片区.",
    )


class KindCountSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    sites = serializers.IntegerField()


class MapRowSerializer(serializers.Serializer):
    standard = StandardSerializer()
    kinds = KindCountSerializer(many=True)
    sites = serializers.IntegerField(help_text="Sites of the standard's kinds (under the region).")
    no_lead = serializers.BooleanField()
    has_gap = serializers.BooleanField()


class KindGapSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    standards = serializers.ListField(child=serializers.CharField())


class ResponsibilityMapSerializer(serializers.Serializer):
    framework = serializers.CharField(source="framework.code")
    region = serializers.CharField(source="region.code", allow_null=True, default=None)
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)
    gap_count = serializers.IntegerField()
    standards_without_lead = serializers.SerializerMethodField(
        help_text="Codes of the standards without a lead unit."
    )
    kinds_without_sites = KindGapSerializer(many=True)
    units_without_standards = UnitRefSerializer(many=True)
    rows = MapRowSerializer(many=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_standards_without_lead(self, obj: queries.ResponsibilityMap) -> list[str]:
        return [s.code for s in obj.standards_without_lead]


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=list(FIELDS))
    label = serializers.CharField()  # type: ignore[assignment]
    old = serializers.CharField()
    new = serializers.CharField()


class StandardChangeSerializer(serializers.Serializer):
    code = serializers.CharField()
    changes = FieldChangeSerializer(many=True)


class StandardBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Standard
        fields = ["id", "code", "text", "points"]
        read_only_fields = fields


class DiffSerializer(serializers.Serializer):
    old = serializers.CharField(source="old.code")
    new = serializers.CharField(source="new.code")
    added = StandardBriefSerializer(many=True)
    removed = StandardBriefSerializer(many=True)
    changed = StandardChangeSerializer(many=True)
    unchanged = serializers.IntegerField()


class DiffFilterSerializer(serializers.Serializer):
    against = serializers.CharField(help_text="Code of the older edition to compare with.")


# --- views --------------------------------------------------------------------------------------


def _frameworks(request: Request) -> QuerySet[Framework]:
    return queries.frameworks_for_user(request.user).annotate(
        item_count=Count("items", distinct=True),
        standard_count=Count("standards", distinct=True),
    )


def _framework(request: Request, code: str | None) -> Framework:
    """The edition named by code, or the current edition; 404 when there is none."""
    frameworks = queries.frameworks_for_user(request.user)
    found = (
        frameworks.filter(code=code).first() if code else frameworks.filter(is_current=True).first()
    )
    if found is None:
        raise exceptions.NotFound(_("No such framework."))
    return found


class FrameworkListView(generics.ListAPIView):
    """Editions of the evaluation framework (测评体系), newest first. Not paginated."""

    pagination_class = None
    permission_classes = PERMISSIONS
    serializer_class = FrameworkSerializer

    def get_queryset(self) -> QuerySet[Framework]:
        return _frameworks(self.request)

    @extend_schema(
        summary="Editions of the evaluation framework",
        responses={200: FrameworkSerializer(many=True), 401: NOT_AUTHENTICATED, 403: FORBIDDEN},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class FrameworkDetailView(APIView):
    """One edition as a tree: items → contents → standards (a unit clerk: their unit's)."""

    permission_classes = PERMISSIONS

    @extend_schema(
        summary="One edition as a tree",
        responses={
            200: FrameworkTreeSerializer,
            401: NOT_AUTHENTICATED,
            403: FORBIDDEN,
            404: error_response("No such edition."),
        },
    )
    def get(self, request: Request, code: str) -> Response:
        framework = _frameworks(request).filter(code=code).first()
        if framework is None:
            raise exceptions.NotFound(_("No such framework."))
        standards = list(queries.with_details(queries.standards_for_user(request.user, framework)))
        data = FrameworkTreeSerializer(framework, context={"tree": queries.tree(standards)}).data
        return Response(data)


class StandardListView(generics.GenericAPIView):
    """Standards of one edition (default: the current one), flat, in framework order."""

    permission_classes = PERMISSIONS
    pagination_class = Pagination
    serializer_class = StandardSerializer

    @extend_schema(
        summary="Standards of an edition",
        parameters=[StandardFilterSerializer],
        responses={
            200: StandardSerializer(many=True),
            400: error_response("A filter value is not valid."),
            401: NOT_AUTHENTICATED,
            403: FORBIDDEN,
            404: error_response("No such edition, or no current edition."),
        },
    )
    def get(self, request: Request) -> Response:
        params = parse_query(StandardFilterSerializer, request)
        framework = _framework(request, params.get("framework"))
        standards = queries.standards_for_user(request.user, framework)
        if (unit := params.get("unit")) is not None:
            standards = standards.filter(
                pk__in=Standard.objects.filter(queries.unit_q(unit)).values("pk")
            )
        if kind := params.get("site_kind"):
            # JSON containment differs by backend; the kinds are few, so filter in Python.
            ids = [pk for pk, kinds in standards.values_list("pk", "site_kinds") if kind in kinds]
            standards = standards.filter(pk__in=ids)
        if item := params.get("item"):
            standards = standards.filter(content__item__code=item)
        if content := params.get("content"):
            standards = standards.filter(content__code=content)
        standards = queries.with_details(standards).select_related("framework")
        page = self.paginate_queryset(standards)
        return self.get_paginated_response(StandardSerializer(page, many=True).data)


class StandardDetailView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(
        summary="One standard",
        responses={
            200: StandardSerializer,
            401: NOT_AUTHENTICATED,
            403: FORBIDDEN,
            404: error_response("No such standard, or outside your scope."),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        try:
            standard = queries.get_standard_for_user(request.user, pk)
        except Http404 as exc:
            raise exceptions.NotFound(_("No such standard.")) from exc
        standard = queries.with_details(Standard.objects.filter(pk=standard.pk)).select_related(
            "framework"
        )[0]
        return Response(StandardSerializer(standard).data)


class ResponsibilityMapView(APIView):
    """For every standard: its units and the number of sites of its kinds, with the gaps.

    Gaps ("no blind spot"): standards without a lead unit, site kinds some standard needs with
    no site in the territory (or under `region`), and active units that answer for no standard
    (only without a unit filter, and not for unit clerks).
    """

    permission_classes = PERMISSIONS

    @extend_schema(
        summary="Responsibility map with gaps",
        parameters=[MapFilterSerializer],
        responses={
            200: ResponsibilityMapSerializer,
            400: error_response("A filter value is not valid."),
            401: NOT_AUTHENTICATED,
            403: FORBIDDEN,
            404: error_response("No such edition, or no current edition."),
        },
    )
    def get(self, request: Request) -> Response:
        params = parse_query(MapFilterSerializer, request)
        framework = _framework(request, params.get("framework"))
        result = queries.responsibility_map(
            framework,
            user=request.user,
            region=params.get("region"),
            unit=params.get("unit") or queries.scoped_unit(request.user),
        )
        return Response(ResponsibilityMapSerializer(result).data)


class FrameworkDiffView(APIView):
    """What changed from an older edition (`against`) to this one, matched by standard code."""

    permission_classes = PERMISSIONS

    @extend_schema(
        summary="Difference between two editions",
        parameters=[DiffFilterSerializer],
        responses={
            200: DiffSerializer,
            400: error_response("`against` is missing."),
            401: NOT_AUTHENTICATED,
            403: FORBIDDEN,
            404: error_response("No such edition."),
        },
    )
    def get(self, request: Request, code: str) -> Response:
        params = parse_query(DiffFilterSerializer, request)
        new = _framework(request, code)
        old = _framework(request, params["against"])
        return Response(DiffSerializer(diff(old, new)).data)
