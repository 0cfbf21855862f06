"""The reports' JSON API (/api/v1/reports/…): indicators, rankings, a figure's cases.

Thin views over civgrid.reports.indicators, scoped to the caller like the pages. A bad period,
indicator or grouping is a 400 in the common error body, naming the parameter.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civgrid.api import ErrorSerializer, Pagination, refuse_blank
from civgrid.cases.models import Case
from civgrid.cases.serializers import CaseListSerializer
from civgrid.org.queries import role_of
from civgrid.reports import indicators as ind
from civgrid.reports.indicators import INDICATORS, IndicatorError, Period
from civgrid.reports.periods import PeriodError
from civgrid.reports.views import RANK_BY, READERS, parse_group, period_from

NON_EMPTY = {"type": "string", "minLength": 1}
PERIOD = OpenApiParameter(
    "period",
    NON_EMPTY,
    description="2024-03-05 (day), 2024-W10, 2024-03, 2024-Q1, 2024, or "
    "2024-03-01..2024-03-15 (custom, both days included). Default: this month.",
)
GROUP_BY = OpenApiParameter("group_by", str, enum=list(ind.GROUPS), description="Grouping.")
INDICATOR = OpenApiParameter(
    "indicator", str, enum=list(INDICATORS), description="See docs/indicators.md."
)
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Bad period, indicator or grouping."),
    401: OpenApiResponse(ErrorSerializer, description="Not authenticated."),
    403: OpenApiResponse(ErrorSerializer, description="Role without statistics."),
}


def _check_reader(request: Request) -> None:
    if role_of(request.user) not in READERS:
        raise exceptions.PermissionDenied(
            _("Statistics are for the office, inspectors, leaders and units.")
        )
    refuse_blank(request, ("period", "group_by", "indicator", "by", "group"))


def _invalid(field: str, exc: Exception) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [str(exc)]})


def _period(request: Request) -> Period:
    try:
        return period_from(request.query_params)
    except PeriodError as exc:
        raise _invalid("period", exc) from exc


class PeriodSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(help_text="Included.")
    label = serializers.CharField()  # type: ignore[assignment]


def _period_data(period: Period) -> dict[str, Any]:
    return {
        "key": period.key(),
        "kind": period.kind,
        "start": period.start,
        "end": period.end,
        "label": period.label(),
    }


class IndicatorRowSerializer(serializers.Serializer):
    group = serializers.JSONField(help_text="The group's id (a source's value); null: none.")
    label = serializers.CharField()  # type: ignore[assignment]
    reported = serializers.IntegerField()
    registered = serializers.IntegerField()
    closed = serializers.IntegerField()
    valid_reported = serializers.IntegerField()
    closed_of_reported = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    reworked = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    fixed_on_spot = serializers.IntegerField()
    replies_due = serializers.IntegerField()
    replied = serializers.IntegerField()
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    closure_rate = serializers.FloatField(allow_null=True, help_text="Percent.")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="Percent.")
    rework_rate = serializers.FloatField(allow_null=True, help_text="Percent.")
    fixed_on_spot_rate = serializers.FloatField(allow_null=True, help_text="Percent.")
    reply_rate = serializers.FloatField(allow_null=True, help_text="Percent.")
    satisfied_rate = serializers.FloatField(allow_null=True, help_text="Percent.")
    avg_hours = serializers.FloatField(allow_null=True)
    p90_hours = serializers.FloatField(allow_null=True)
    satisfaction_avg = serializers.FloatField(allow_null=True)


class IndicatorsSerializer(serializers.Serializer):
    period = PeriodSerializer()
    previous = PeriodSerializer()
    group_by = serializers.CharField(allow_null=True)
    rows = IndicatorRowSerializer(many=True)
    previous_totals = IndicatorRowSerializer(help_text="The previous period, ungrouped.")


class IndicatorsView(APIView):
    """Every indicator for a period, for everything or per group, within the caller's scope."""

    @extend_schema(
        operation_id="reports_indicators",
        parameters=[PERIOD, GROUP_BY],
        responses={200: IndicatorsSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        _check_reader(request)
        period = _period(request)
        group_by = request.query_params.get("group_by") or None
        now = timezone.now()
        try:
            rows = ind.compute(period, user=request.user, group_by=group_by, now=now)
        except IndicatorError as exc:
            raise _invalid("group_by", exc) from exc
        before = ind.totals(period.previous(), user=request.user, now=now)
        return Response(
            {
                "period": _period_data(period),
                "previous": _period_data(period.previous()),
                "group_by": group_by,
                "rows": [r.as_dict() for r in rows],
                "previous_totals": before.as_dict(),
            }
        )


class RankedSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True, help_text="Equal values share a rank.")
    group = serializers.JSONField()
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.FloatField(allow_null=True)
    base = serializers.IntegerField(allow_null=True, help_text="The count the value is over.")


class RankingSerializer(serializers.Serializer):
    period = PeriodSerializer()
    by = serializers.CharField()
    indicator = serializers.CharField()
    better = serializers.CharField()
    rows = RankedSerializer(many=True)


class RankingsView(APIView):
    """Districts, units, grids or areas ranked by an indicator, best first (ties share a rank)."""

    @extend_schema(
        operation_id="reports_rankings",
        parameters=[
            PERIOD,
            OpenApiParameter("by", str, enum=list(RANK_BY), description="Default unit."),
            OpenApiParameter(
                "indicator",
                str,
                enum=[k for k, i in INDICATORS.items() if i.better],
                description="Default closure_rate.",
            ),
        ],
        responses={200: RankingSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        _check_reader(request)
        period = _period(request)
        by = request.query_params.get("by") or "unit"
        indicator = request.query_params.get("indicator") or "closure_rate"
        if by not in RANK_BY:
            raise _invalid("by", ValueError(_("Rank districts, units, grids or areas.")))
        try:
            ranked = ind.rank(period, by, indicator, user=request.user)
        except IndicatorError as exc:
            raise _invalid("indicator", exc) from exc
        spec = INDICATORS[indicator]
        return Response(
            {
                "period": _period_data(period),
                "by": by,
                "indicator": indicator,
                "better": spec.better,
                "rows": [
                    {
                        "rank": r.rank,
                        "group": r.row.group,
                        "label": r.row.label,
                        "value": r.value,
                        "base": r.row.counts[spec.denominator] if spec.denominator else None,
                    }
                    for r in ranked
                ],
            }
        )


class DrilldownView(generics.GenericAPIView):
    """Exactly the cases counted in one figure, paged like the ledger."""

    pagination_class = Pagination
    serializer_class = CaseListSerializer

    def get_queryset(self) -> Any:  # for the schema only; get() builds the real one
        return Case.objects.none()

    @extend_schema(
        operation_id="reports_cases",
        parameters=[
            PERIOD,
            INDICATOR,
            GROUP_BY,
            OpenApiParameter(
                "group", NON_EMPTY, description="The group's id or source; none: no value."
            ),
        ],
        responses={200: CaseListSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        _check_reader(request)
        period = _period(request)
        now = timezone.now()
        indicator = request.query_params.get("indicator") or "reported"
        group_by = request.query_params.get("group_by") or None
        try:
            group = parse_group(group_by, request.query_params.get("group"))
        except IndicatorError as exc:
            raise _invalid("group", exc) from exc
        try:
            cases = ind.drilldown(
                period, indicator, user=request.user, group_by=group_by, group=group, now=now
            )
        except IndicatorError as exc:
            field = "indicator" if indicator not in INDICATORS else "group_by"
            raise _invalid(field, exc) from exc
        cases = cases.select_related("category", "grid", "unit")
        page = self.paginate_queryset(cases)
        data = CaseListSerializer(page, many=True, context={"request": request, "now": now}).data
        return self.get_paginated_response(data)
