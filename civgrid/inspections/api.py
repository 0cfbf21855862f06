"""Inspections in the JSON API (/api/v1/inspections/…): thin views over queries, actions and
scores. Scope as in the pages: out-of-scope objects are 404; refusals of the actions come back
in the common error body (civgrid.api.exception_handler)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civgrid.api import (
    LATITUDE,
    LONGITUDE,
    Pagination,
    documented,
    error_response,
    json_or_multipart,
)
from civgrid.cases.serializers import _photos
from civgrid.inspections import actions, scores
from civgrid.inspections.models import CheckResult, Inspection, InspectionSite, Outcome
from civgrid.inspections.queries import (
    FINDING_READERS,
    SCORE_READERS,
    applicable_standards,
    findings_for_user,
    get_inspection_for_user,
    get_inspection_site_for_user,
    grid_scope,
    inspections_for_user,
    is_on_team,
    sites_for_user,
    with_counts,
)
from civgrid.org.queries import role_of
from civgrid.standards.models import ChecklistQuestion, Standard

NOT_AUTHENTICATED = error_response("No or invalid credentials (token or session).")
NOT_FOUND = error_response("No such inspection or site, or it is outside your scope.")


# --- serializers ---------------------------------------------------------------------------


class InspectionSerializer(serializers.ModelSerializer):
    # Plain strings, not enums: "kind" and "status" enums of other apps share the names.
    kind = serializers.CharField(read_only=True, help_text="special, unannounced, self_check")
    status = serializers.CharField(read_only=True, help_text="planned, in_progress, completed")
    framework = serializers.CharField(source="framework.code", read_only=True)
    sites_total = serializers.IntegerField(read_only=True)
    sites_done = serializers.IntegerField(read_only=True)
    findings = serializers.IntegerField(source="n_findings", read_only=True)
    team = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "framework",
            "starts_on",
            "ends_on",
            "region",
            "sampling_seed",
            "sample_sizes",
            "team",
            "leader",
            "sites_total",
            "sites_done",
            "findings",
            "started_at",
            "completed_at",
        ]

    def get_team(self, obj: Inspection) -> list[str]:
        return [u.get_username() for u in obj.team.all()]


class InspectedSiteRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="The site kind (点位类型).")
    grid = serializers.CharField(source="grid.name")
    longitude = serializers.FloatField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)


class InspectionSiteSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="pending, done")
    site = InspectedSiteRefSerializer(read_only=True)

    class Meta:
        model = InspectionSite
        fields = [
            "id",
            "site",
            "order",
            "status",
            "visited_at",
            "longitude",
            "latitude",
            "accuracy",
        ]


class ResultSerializer(serializers.ModelSerializer):
    standard = serializers.CharField(source="standard.code", read_only=True)
    case = serializers.SerializerMethodField()

    class Meta:
        model = CheckResult
        fields = [
            "id",
            "standard",
            "outcome",
            "note",
            "question",
            "fixed_on_spot",
            "answered_at",
            "revision",
            "case",
        ]

    def get_case(self, obj: CheckResult) -> dict[str, Any] | None:
        finding = getattr(obj, "finding", None)
        if finding is None:
            return None
        case = finding.case
        return {
            "id": case.pk,
            "tracking_code": case.tracking_code,
            "status": case.status,
            "unit": case.unit.name if case.unit else None,
            "due_at": case.due_at.isoformat() if case.due_at else None,
        }


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class ChecklistItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="standard.pk")
    code = serializers.CharField(source="standard.code")
    text = serializers.CharField(source="standard.text")
    points = serializers.DecimalField(source="standard.points", max_digits=6, decimal_places=2)
    questions = QuestionSerializer(source="standard.questions.all", many=True)
    result = ResultSerializer(allow_null=True)


class ChecklistSerializer(serializers.Serializer):
    site = InspectionSiteSerializer()
    standards = ChecklistItemSerializer(many=True)


class CheckInputSerializer(serializers.Serializer):
    standard = serializers.CharField(help_text="The standard's id or its code in the framework.")
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    question = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The checklist question failed."
    )
    photos = _photos(_("Photos of the problem (failed items only)."))
    fixed_on_spot = serializers.BooleanField(required=False, default=False)
    fix_note = serializers.CharField(required=False, allow_blank=True, default="")
    longitude = documented(
        serializers.FloatField, LONGITUDE, required=False, allow_null=True, default=None
    )
    latitude = documented(
        serializers.FloatField, LATITUDE, required=False, allow_null=True, default=None
    )
    accuracy = documented(
        serializers.FloatField,
        {"type": "number", "format": "double", "minimum": 0, "maximum": 100_000},
        required=False,
        allow_null=True,
        default=None,
    )


class LineSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    checks = serializers.IntegerField()
    failed = serializers.IntegerField()
    recovered = serializers.IntegerField()
    possible = serializers.DecimalField(max_digits=12, decimal_places=2)
    achieved_raw = serializers.DecimalField(max_digits=12, decimal_places=2)
    achieved_now = serializers.DecimalField(max_digits=12, decimal_places=2)
    percent_raw = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    percent_now = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class ScoresSerializer(serializers.Serializer):
    by = serializers.CharField()
    whole = LineSerializer()
    lines = LineSerializer(many=True)


class RiskSerializer(serializers.Serializer):
    standard = serializers.CharField(source="standard.code")
    text = serializers.CharField(source="standard.text")
    lead_unit = serializers.CharField(source="standard.lead_unit.name", default=None)
    points = serializers.DecimalField(source="standard.points", max_digits=6, decimal_places=2)
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    points_at_stake = serializers.DecimalField(max_digits=12, decimal_places=2)
    points_overdue = serializers.DecimalField(max_digits=12, decimal_places=2)


# --- views ---------------------------------------------------------------------------------


def _with_counts(inspections: QuerySet[Inspection], user: Any) -> QuerySet[Inspection]:
    return with_counts(inspections, user).order_by("-starts_on", "-id").prefetch_related("team")


class InspectionListView(generics.ListAPIView):
    """Inspections in your scope (office and inspectors: all; leaders: completed ones)."""

    pagination_class = Pagination
    serializer_class = InspectionSerializer

    def get_queryset(self) -> QuerySet[Inspection]:
        return _with_counts(
            inspections_for_user(self.request.user).select_related("framework"), self.request.user
        )

    @extend_schema(
        summary="List inspections",
        responses={200: InspectionSerializer(many=True), 401: NOT_AUTHENTICATED},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class InspectionDetailView(APIView):
    @extend_schema(
        summary="One inspection",
        responses={200: InspectionSerializer, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        get_inspection_for_user(request.user, pk)
        inspection = _with_counts(
            Inspection.objects.filter(pk=pk).select_related("framework"), request.user
        ).get()
        return Response(InspectionSerializer(inspection).data)


class InspectionSitesView(APIView):
    @extend_schema(
        summary="An inspection's sites",
        responses={
            200: InspectionSiteSerializer(many=True),
            401: NOT_AUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        inspection = get_inspection_for_user(request.user, pk)
        rows = (
            sites_for_user(request.user, inspection)
            .select_related("site__grid")
            .order_by("status", "order", "id")
        )
        return Response(InspectionSiteSerializer(rows, many=True).data)


def _checklist(isite: InspectionSite) -> dict[str, Any]:
    results = {
        r.standard_id: r for r in isite.results.select_related("finding__case__unit", "standard")
    }
    items = [
        {"standard": s, "result": results.get(s.pk)}
        for s in applicable_standards(isite.inspection.framework_id, isite.site.kind)
    ]
    return {"site": isite, "standards": items}


def _team_site(request: Request, pk: int, site_pk: int) -> InspectionSite:
    isite = get_inspection_site_for_user(request.user, pk, site_pk)
    if not is_on_team(request.user, isite.inspection):
        raise exceptions.NotFound(_("No such site in your inspections."))
    return isite


class ChecklistView(APIView):
    """One site's checklist (the standards that apply at its kind) and the answers so far;
    POST records one answer — the same action as the phone page."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="A site's checklist",
        responses={200: ChecklistSerializer, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int, site_pk: int) -> Response:
        isite = _team_site(request, pk, site_pk)
        return Response(ChecklistSerializer(_checklist(isite)).data)

    @extend_schema(
        summary="Record a check result",
        description=(
            "Idempotent per (site, standard): answering again before the inspection completes "
            "updates the result. A `fail` puts exactly one case on the ledger, assigned to the "
            "standard's lead unit with the category's deadline, or closed as fixed on the spot."
        ),
        request=json_or_multipart(CheckInputSerializer),
        responses={
            200: OpenApiResponse(ResultSerializer, description="The result as now recorded."),
            400: error_response("Invalid input (`field` names it); nothing changed."),
            401: NOT_AUTHENTICATED,
            403: error_response("Only the inspection team records checks."),
            404: NOT_FOUND,
            409: error_response("The inspection is completed, or the failure is on the ledger."),
        },
    )
    def post(self, request: Request, pk: int, site_pk: int) -> Response:
        isite = _team_site(request, pk, site_pk)
        form = CheckInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        ref = d["standard"].strip()
        query = Q(code=ref) | (Q(pk=int(ref)) if ref.isdigit() and len(ref) < 19 else Q(pk=None))
        standard = Standard.objects.filter(
            query, framework_id=isite.inspection.framework_id
        ).first()
        if standard is None:
            raise serializers.ValidationError(
                {
                    "standard": [
                        _("No such standard in this inspection's framework: %(ref)s.")
                        % {"ref": ref}
                    ]
                }
            )
        question = None
        if d.get("question") is not None:
            question = ChecklistQuestion.objects.filter(pk=d["question"], standard=standard).first()
            if question is None:
                raise serializers.ValidationError(
                    {"question": [_("This question belongs to another standard.")]}
                )
        assert request.user.is_authenticated
        result = actions.record_check(
            isite,
            actor=request.user,
            standard=standard,
            outcome=d["outcome"],
            note=d["note"],
            question=question,
            photos=d["photos"],
            fixed_on_spot=d["fixed_on_spot"],
            fix_note=d["fix_note"],
            longitude=d["longitude"],
            latitude=d["latitude"],
            accuracy=d["accuracy"],
        )
        result = CheckResult.objects.select_related("finding__case__unit", "standard").get(
            pk=result.pk
        )
        return Response(ResultSerializer(result).data)


def _line(line: scores.Line) -> dict[str, Any]:
    return {
        "key": None if line.key is None else str(line.key),
        "label": line.label,
        "checks": line.checks,
        "failed": line.failed,
        "recovered": line.recovered,
        "possible": line.possible,
        "achieved_raw": line.achieved_raw,
        "achieved_now": line.achieved_now,
        "percent_raw": line.percent_raw,
        "percent_now": line.percent_now,
    }


class ScoresView(APIView):
    @extend_schema(
        summary="A round's scores",
        description="Achieved / possible points, at inspection (raw) and now (closed cases recovered).",
        parameters=[
            OpenApiParameter(
                "by", str, enum=list(scores.BREAKDOWNS), description="Breakdown (default item)."
            )
        ],
        responses={
            200: ScoresSerializer,
            400: error_response("Unknown breakdown."),
            401: NOT_AUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        if role_of(request.user) not in SCORE_READERS:
            raise exceptions.NotFound(_("No such inspection."))
        inspection = get_inspection_for_user(request.user, pk)
        by = request.query_params.get("by", "item")
        if by not in scores.BREAKDOWNS:
            raise serializers.ValidationError(
                {"by": [_("Unknown breakdown: %(by)s.") % {"by": by}]}
            )
        checks = scores.checks_of(inspection, grid_ids=grid_scope(request.user))
        data = {
            "by": by,
            "whole": _line(scores.total(checks)),
            "lines": [_line(line) for line in scores.breakdown(checks, by)],
        }
        return Response(ScoresSerializer(data).data)


class AtRiskView(APIView):
    @extend_schema(
        summary="Standards at risk",
        description="Standards ordered by points at stake in findings whose case is open (and overdue), across rounds, in your scope.",
        responses={200: RiskSerializer(many=True), 401: NOT_AUTHENTICATED},
    )
    def get(self, request: Request) -> Response:
        if role_of(request.user) not in FINDING_READERS:
            return Response([])
        risks = scores.at_risk(findings_for_user(request.user), timezone.now())
        return Response(RiskSerializer(risks, many=True).data)
