"""Households and visits in the JSON API (/api/v1/households/, /visits/, /visit-plans/).

Thin views: lists go through civgrid.visits.queries (a household outside the reader's grids is
a 404), a visit is recorded by civgrid.visits.actions.log_visit, due lists come from
civgrid.visits.plans. Recording a visit is idempotent, like reporting a case: an
`Idempotency-Key` header (or `client_key` field) returns the visit made the first time.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civgrid.api import (
    IdOrCodeField,
    Pagination,
    documented,
    error_response,
    json_or_multipart,
    parse_query,
)
from civgrid.cases.api import IDEMPOTENCY_HEADER, _client_key
from civgrid.cases.models import Category, Urgency
from civgrid.cases.serializers import PhotoListField
from civgrid.visits import plans
from civgrid.visits.actions import ProblemInput, log_visit
from civgrid.visits.models import FLAGS, Household, Visit, VisitPlan
from civgrid.visits.queries import (
    VISIT_ROLES,
    households_for_user,
    may_see_phone,
    visits_for_user,
)

NOT_AUTHENTICATED = error_response("No or invalid credentials (token or session).")
NOT_FOUND = error_response("No such household, or it is outside your grids.")


class HouseholdSerializer(serializers.ModelSerializer):
    grid = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = [
            "id",
            "code",
            "grid",
            "address",
            "head_name",
            "phone",
            "residents_count",
            *FLAGS,
            "notes",
            "is_active",
        ]
        read_only_fields = fields

    def get_grid(self, household: Household) -> dict[str, Any]:
        return {"id": household.grid_id, "code": household.grid.code, "name": household.grid.name}

    def get_phone(self, household: Household) -> str:
        """In full for the office, inspectors and the household's grid worker; masked otherwise."""
        if may_see_phone(self.context["request"].user, household):
            return household.phone
        return household.masked_phone()


class VisitSerializer(serializers.ModelSerializer):
    household = serializers.IntegerField(source="household_id", read_only=True)
    household_code = serializers.CharField(source="household.code", read_only=True)
    cases = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "household",
            "household_code",
            "visitor_name",
            "visited_at",
            "notes",
            "cases",
            "created_at",
        ]
        read_only_fields = fields

    def get_cases(self, visit: Visit) -> list[dict[str, Any]]:
        return [{"id": c.pk, "tracking_code": c.tracking_code} for c in visit.cases.all()]


class HouseholdFilterSerializer(serializers.Serializer):
    grid = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text=gettext_lazy("Grid id.")
    )
    q = serializers.CharField(
        required=False, max_length=100, help_text=gettext_lazy("Code, address or name.")
    )
    flag = serializers.ChoiceField(choices=FLAGS, required=False)


class VisitFilterSerializer(serializers.Serializer):
    household = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text=gettext_lazy("Household id.")
    )


class PlanDueFilterSerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False,
        help_text=gettext_lazy("Default: today (local)."),
        error_messages={"invalid": gettext_lazy("Give a date as YYYY-MM-DD.")},
    )
    grid = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text=gettext_lazy("Only this grid.")
    )


class HouseholdListView(generics.ListAPIView):
    """Households in your grids (住户), by code."""

    pagination_class = Pagination
    serializer_class = HouseholdSerializer

    def get_queryset(self) -> QuerySet[Household]:
        data = parse_query(HouseholdFilterSerializer, self.request)  # type: ignore[arg-type]
        qs = households_for_user(self.request.user).select_related("grid")
        if data.get("grid") is not None:
            qs = qs.filter(grid_id=data["grid"])
        if data.get("flag"):
            qs = qs.filter(**{data["flag"]: True})
        if q := (data.get("q") or "").strip():
            from django.db.models import Q

            qs = qs.filter(
                Q(code__icontains=q) | Q(address__icontains=q) | Q(head_name__icontains=q)
            )
        return qs.order_by("code")

    @extend_schema(
        summary="Households in your grids",
        parameters=[HouseholdFilterSerializer],
        responses={200: HouseholdSerializer(many=True), 401: NOT_AUTHENTICATED},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class HouseholdDetailView(APIView):
    @extend_schema(
        summary="One household",
        responses={200: HouseholdSerializer, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        household = households_for_user(request.user).select_related("grid").filter(pk=pk).first()
        if household is None:
            raise exceptions.NotFound(_("No such household."))
        return Response(HouseholdSerializer(household, context={"request": request}).data)


class VisitCreateSerializer(serializers.Serializer):
    household = IdOrCodeField(
        queryset=Household.objects.all(),
        label_text=gettext_lazy("household"),
        help_text=gettext_lazy("Household id, or its code (户编码)."),
    )
    visited_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text=gettext_lazy("Default: now.")
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    client_key = serializers.CharField(required=False, allow_blank=True, max_length=100)
    problem_category = IdOrCodeField(
        queryset=Category.objects.all(),
        label_text=gettext_lazy("category"),
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("Raise a problem found in the visit: its category (id or code)."),
    )
    problem_description = serializers.CharField(required=False, allow_blank=True, default="")
    # A plain string checked here: a second ChoiceField over Urgency would give the schema a
    # second name for the same enum.
    problem_urgency = documented(
        serializers.CharField,
        {"type": "string", "enum": list(Urgency.values)},
        default=Urgency.NORMAL,
        help_text=gettext_lazy("normal, urgent or critical."),
    )
    problem_photos = PhotoListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=9,
        help_text=gettext_lazy("Photos of the problem; multipart/form-data only."),
    )
    fixed_on_spot = serializers.BooleanField(default=False)
    fix_note = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A household outside the sender's grids reads as unknown, like any unseen row.
            field = cast(IdOrCodeField, self.fields["household"])
            field.queryset = households_for_user(request.user)

    def validate_problem_urgency(self, value: str) -> str:
        if value not in Urgency.values:
            raise serializers.ValidationError(_("Unknown urgency."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        has_description = bool((attrs.get("problem_description") or "").strip())
        if attrs.get("problem_category") is None and has_description:
            raise serializers.ValidationError(
                {"problem_category": [_("Choose the category of the problem.")]}
            )
        return attrs

    def problems(self) -> list[ProblemInput]:
        data = self.validated_data
        if data.get("problem_category") is None:
            return []
        return [
            ProblemInput(
                category=data["problem_category"],
                description=data["problem_description"],
                urgency=data["problem_urgency"],
                photos=data["problem_photos"],
                fixed_on_spot=data["fixed_on_spot"],
                fix_note=data["fix_note"],
            )
        ]


class VisitListView(generics.GenericAPIView):
    """Visits in your grids, newest first; and recording a visit."""

    pagination_class = Pagination
    serializer_class = VisitSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Visit]:
        qs = visits_for_user(self.request.user).select_related("household")
        params = parse_query(VisitFilterSerializer, self.request)  # type: ignore[arg-type]
        if params.get("household") is not None:
            qs = qs.filter(household_id=params["household"])
        return qs.prefetch_related("cases")

    @extend_schema(
        summary="Visits in your grids",
        parameters=[VisitFilterSerializer],
        responses={200: VisitSerializer(many=True), 401: NOT_AUTHENTICATED},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        data = VisitSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Record a visit (入户走访)",
        description=(
            "Idempotent with an `Idempotency-Key` header or `client_key` field: the same key "
            "from the same user returns the visit already recorded (200 instead of 201). "
            "`problem_*` raise a problem found in the visit as a case (source home_visit)."
        ),
        parameters=[
            OpenApiParameter(IDEMPOTENCY_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER)
        ],
        request=json_or_multipart(VisitCreateSerializer),
        responses={
            201: OpenApiResponse(VisitSerializer, description="Recorded."),
            200: OpenApiResponse(VisitSerializer, description="Already recorded with this key."),
            400: error_response("Not valid; nothing was recorded."),
            401: NOT_AUTHENTICATED,
            403: error_response("Your role may not record visits, or not in that grid."),
        },
    )
    def post(self, request: Request) -> Response:
        form = VisitCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        key = _client_key(request, data.get("client_key", ""))
        household = data["household"]
        visit, created = log_visit(
            actor=request.user,  # type: ignore[arg-type]
            household=household,
            notes=data["notes"],
            visited_at=data["visited_at"],
            problems=form.problems(),
            client_key=key,
        )
        body = VisitSerializer(visit, context={"request": request}).data
        if created:
            return Response(body, status=201)
        return Response(body, headers={"Idempotent-Replayed": "true"})


class PlanSerializer(serializers.ModelSerializer):
    flags = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = VisitPlan
        fields = ["id", "name", "frequency", "flags", "region", "active_from", "is_active"]
        read_only_fields = fields


class PlanListView(generics.ListAPIView):
    """Active visit plans (走访计划). Not paginated."""

    pagination_class = None
    serializer_class = PlanSerializer

    def get_queryset(self) -> QuerySet[VisitPlan]:
        return VisitPlan.objects.filter(is_active=True)

    @extend_schema(summary="Visit plans", responses={200: PlanSerializer(many=True)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PlanDueView(APIView):
    """Households due this period and those the previous period missed, in your grids."""

    @extend_schema(
        summary="A plan's due and missed households",
        parameters=[PlanDueFilterSerializer],
        responses={200: OpenApiTypes.OBJECT, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        from civgrid.org.queries import role_of

        if role_of(request.user) not in VISIT_ROLES:
            raise exceptions.NotFound(_("No such plan."))
        plan = get_object_or_404(VisitPlan, pk=pk, is_active=True)
        params = parse_query(PlanDueFilterSerializer, request)
        today = params.get("on") or timezone.localdate()
        scope = households_for_user(request.user)
        if params.get("grid") is not None:
            scope = scope.filter(grid_id=params["grid"])
        period = plans.period_containing(plan.frequency, today)
        current = plans.period_status(plan, period, scope)
        previous = plans.period_status(plan, period.previous(), scope)
        by_id = {
            h.pk: h
            for h in Household.objects.filter(
                pk__in=[*current.unvisited, *previous.unvisited]
            ).select_related("grid")
        }

        def rows(ids: list[int]) -> list[dict[str, Any]]:
            return [
                {
                    "id": pk,
                    "code": by_id[pk].code,
                    "address": by_id[pk].address,
                    "grid": by_id[pk].grid.name,
                }
                for pk in ids
            ]

        return Response(
            {
                "plan": plan.pk,
                "period": {"label": period.label, "start": period.start, "end": period.last_day},
                "total": current.total,
                "visited": current.done,
                "coverage": current.coverage,
                "due": rows(current.unvisited),
                "previous_period": {
                    "label": previous.period.label,
                    "start": previous.period.start,
                    "end": previous.period.last_day,
                },
                "missed": rows(previous.unvisited),
            }
        )
