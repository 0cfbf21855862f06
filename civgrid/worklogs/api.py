"""The work logs' JSON API (/api/v1/worklogs/…): list and enter (scoped), correct, totals."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civgrid.api import IdOrCodeField, Pagination, documented, error_response, refuse_blank
from civgrid.org.models import Unit
from civgrid.reports.periods import Period, PeriodError
from civgrid.worklogs import actions
from civgrid.worklogs.models import FIGURES, ActivityKind, WorkLog
from civgrid.worklogs.queries import (
    Totals,
    get_worklog_for_user,
    in_period,
    may_read,
    totals,
    totals_by,
    worklogs_for_user,
)

PERIOD = OpenApiParameter(
    "period",
    {"type": "string", "minLength": 1},
    description="2024-03, 2024-Q1, 2024-W10, 2024 or 2024-03-01..2024-03-15",
)
NOT_READER = error_response("Your role does not read work logs.")
FORBIDDEN = error_response("You may not enter work for this unit.")


def _period(request: Request, *, required: bool = False) -> Period | None:
    refuse_blank(request, ("period", "by"))
    text = request.query_params.get("period", "")
    if not text:
        if required:
            raise exceptions.ValidationError({"period": [_("This field is required.")]})
        return None
    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise exceptions.ValidationError({"period": [str(exc)]}) from exc


class WorkLogSerializer(serializers.ModelSerializer):
    unit = IdOrCodeField(queryset=Unit.objects.all(), label_text=_("unit"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    corrects = serializers.IntegerField(source="corrects_id", read_only=True, allow_null=True)
    superseded = serializers.BooleanField(source="is_superseded", read_only=True)
    # The action refuses an unknown kind (with its own message); the schema lists them.
    kind = documented(
        serializers.CharField,
        {"type": "string", "enum": list(ActivityKind.values)},
        help_text=", ".join(ActivityKind.values),
    )

    class Meta:
        model = WorkLog
        fields = [
            "id",
            "unit",
            "unit_name",
            "worked_on",
            "kind",
            *FIGURES,
            "description",
            "corrects",
            "correction_reason",
            "superseded",
            "entered_by_name",
            "entered_at",
        ]
        read_only_fields = ["correction_reason", "entered_by_name", "entered_at"]
        # The action checks the figures (negative, too large) so the page and API agree.
        extra_kwargs = {name: {"min_value": None} for name in FIGURES}


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    description = serializers.CharField(required=False, allow_blank=True)
    person_times = serializers.IntegerField(required=False)
    machine_times = serializers.IntegerField(required=False)
    volume_removed = serializers.DecimalField(max_digits=14, decimal_places=4, required=False)
    items_installed = serializers.IntegerField(required=False)
    activities_held = serializers.IntegerField(required=False)


class TotalsSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="unit id or activity kind; null: all")
    name = serializers.CharField()
    entries = serializers.IntegerField()
    person_times = serializers.IntegerField()
    machine_times = serializers.IntegerField()
    volume_removed = serializers.DecimalField(max_digits=14, decimal_places=2)
    items_installed = serializers.IntegerField()
    activities_held = serializers.IntegerField()


class TotalsResponseSerializer(serializers.Serializer):
    period = serializers.CharField()
    results = TotalsSerializer(many=True)


def _totals_row(key: Any, label: str, t: Totals) -> dict[str, Any]:
    return {"key": key, "name": label, **t.__dict__}


class WorkLogList(generics.ListCreateAPIView):
    """Work log entries you may see (a clerk: their unit), newest first; enter one."""

    serializer_class = WorkLogSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[WorkLog]:
        logs = worklogs_for_user(self.request.user).select_related("unit", "corrects")
        period = _period(self.request)  # type: ignore[arg-type]
        return in_period(logs, period) if period else logs

    @extend_schema(
        parameters=[PERIOD],
        responses={200: WorkLogSerializer(many=True), 404: NOT_READER},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not may_read(request.user):
            raise exceptions.NotFound()
        return super().get(request, *args, **kwargs)

    @extend_schema(
        responses={201: WorkLogSerializer, 400: error_response("Bad input."), 403: FORBIDDEN}
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = WorkLogSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        entry = actions.record_work(
            actor=request.user,
            unit=data["unit"],
            worked_on=data["worked_on"],
            kind=data["kind"],
            description=data.get("description", ""),
            **{name: data.get(name, 0) for name in FIGURES},
        )
        return Response(WorkLogSerializer(entry).data, status=201)


class WorkLogCorrection(APIView):
    """Correct an entry: a new entry replaces it in every sum; both stay in the record."""

    @extend_schema(
        request=CorrectionSerializer,
        responses={
            201: WorkLogSerializer,
            400: error_response("Bad input."),
            403: FORBIDDEN,
            404: error_response("No such entry, or not yours to see."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        entry = get_worklog_for_user(request.user, pk)
        form = CorrectionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        reason = data.pop("reason")
        fixed = actions.correct_work(entry, actor=request.user, reason=reason, **data)
        return Response(WorkLogSerializer(fixed).data, status=201)


class WorkLogTotals(APIView):
    """The period's sums over the entries you may see: all, by unit or by activity kind."""

    @extend_schema(
        parameters=[
            PERIOD,
            OpenApiParameter("by", str, enum=["unit", "kind"], description="group the sums"),
        ],
        responses={200: TotalsResponseSerializer, 404: NOT_READER},
    )
    def get(self, request: Request) -> Response:
        if not may_read(request.user):
            raise exceptions.NotFound()
        period = _period(request, required=True)
        assert period is not None
        logs = worklogs_for_user(request.user)
        by = request.query_params.get("by", "")
        if by == "unit":
            rows = [_totals_row(u.pk, u.name, t) for u, t in totals_by(logs, period, "unit")]
        elif by == "kind":
            kinds = dict(ActivityKind.choices)
            rows = [_totals_row(k, str(kinds[k]), t) for k, t in totals_by(logs, period, "kind")]
        elif by:
            raise exceptions.ValidationError({"by": [_("Choose unit or kind.")]})
        else:
            rows = [_totals_row(None, _("All"), totals(logs, period))]
        return Response({"period": period.key(), "results": TotalsSerializer(rows, many=True).data})
