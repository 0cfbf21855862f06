"""The safety checklist in the JSON API (/api/v1/safety/checklist/): the items a check of a
venue kind goes through, from the current edition (the phone reads it before a check)."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civgrid.api import error_response, json_or_multipart, parse_query
from civgrid.cases.api import IDEMPOTENCY_HEADER, _client_key
from civgrid.enterprises.models import Kind
from civgrid.org.queries import role_of
from civgrid.safety.checks import ItemAnswer, record_check
from civgrid.safety.models import Checklist, ChecklistItem, Grade, SafetyCheck
from civgrid.safety.queries import CHECKLIST_ROLES, assignments_for_user, items_for_kind


class SafetyChecklistItemSerializer(serializers.ModelSerializer):
    grade = serializers.ChoiceField(choices=Grade.choices, read_only=True)

    class Meta:
        model = ChecklistItem
        fields = ["id", "code", "section", "text", "grade", "deadline_workdays"]
        read_only_fields = fields


class SafetyChecklistSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="The edition's code.")
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    items = SafetyChecklistItemSerializer(many=True, read_only=True)


class KindQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)


class ChecklistView(APIView):
    @extend_schema(
        summary="The current checklist for a venue kind",
        parameters=[KindQuerySerializer],
        responses={
            200: SafetyChecklistSerializer,
            400: error_response("Missing or unknown kind."),
            401: error_response("No or invalid credentials (token or session)."),
            403: error_response("Your role does not check venues."),
            404: error_response("No checklist has been imported yet."),
        },
    )
    def get(self, request: Request) -> Response:
        kind = parse_query(KindQuerySerializer, request)["kind"]
        if role_of(request.user) not in CHECKLIST_ROLES:
            raise exceptions.PermissionDenied(_("Your role does not check venues."))
        checklist = Checklist.current()
        if checklist is None:
            raise exceptions.NotFound(_("No checklist has been imported yet."))
        data = {
            "code": checklist.code,
            "name": checklist.name,
            "kind": kind,
            "items": items_for_kind(kind, checklist),
        }
        return Response(SafetyChecklistSerializer(data).data)


class CheckCreateSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text=gettext_lazy("The assignment (venue) id.")
    )
    answers = serializers.CharField(
        max_length=100_000,
        help_text=gettext_lazy(
            'JSON list, one per item: {"item": id, "result": "pass"|"fail"|"fixed", '
            '"note": "", "fix_note": ""}. A photo of item N travels as the file photos_N.'
        ),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    checked_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text=gettext_lazy("Default: now.")
    )
    client_key = serializers.CharField(required=False, allow_blank=True, max_length=100)


class CheckResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    enterprise = serializers.IntegerField(source="enterprise_id", read_only=True)
    checked_at = serializers.DateTimeField(read_only=True)
    hazards = serializers.SerializerMethodField()

    def get_hazards(self, check: SafetyCheck) -> list[str]:
        """The tracking codes of the ledger cases of its hidden dangers."""
        return [h.case.tracking_code for h in check.hazards.select_related("case")]


def _answers(text: str, items: dict[int, ChecklistItem], files: Any) -> list[ItemAnswer]:
    def refuse(message: str) -> serializers.ValidationError:
        return serializers.ValidationError({"answers": [message]})

    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise refuse(_("Not a JSON list.")) from exc
    if not isinstance(raw, list):
        raise refuse(_("Not a JSON list."))
    out = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise refuse(_("Each answer is an object with item and result."))
        item_id = entry.get("item")
        item = items.get(item_id) if isinstance(item_id, int) else None
        result = entry.get("result")
        if item is None or result not in ("pass", "fail", "fixed"):
            raise refuse(_("Each answer names an item of this venue's checklist and a result."))
        note, fix_note = entry.get("note", ""), entry.get("fix_note", "")
        if not isinstance(note, str) or not isinstance(fix_note, str):
            raise refuse(_("Notes are text."))
        out.append(
            ItemAnswer(
                item,
                passed=result == "pass",
                note=note,
                fixed_on_spot=result == "fixed",
                fix_note=fix_note,
                photos=files.getlist(f"photos_{item.pk}") if result != "pass" else [],
            )
        )
    return out


class CheckListView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="Record a safety check (安全检查) of an assigned venue",
        description=(
            "Idempotent with an `Idempotency-Key` header or `client_key` field: the same key "
            "from the same user returns the check already recorded (200 instead of 201), and "
            "its hidden dangers are on the ledger once. Each failed item becomes a case "
            "(source safety_inspection)."
        ),
        parameters=[
            OpenApiParameter(IDEMPOTENCY_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER)
        ],
        request=json_or_multipart(CheckCreateSerializer),
        responses={
            201: OpenApiResponse(CheckResultSerializer, description="Recorded."),
            200: OpenApiResponse(CheckResultSerializer, description="Already recorded."),
            400: error_response("Not valid; nothing was recorded."),
            401: error_response("No or invalid credentials (token or session)."),
            403: error_response("Not your group's venue."),
            404: error_response("No such assignment, or not yours."),
        },
    )
    def post(self, request: Request) -> Response:
        form = CheckCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        key = _client_key(request, data.get("client_key", ""))
        assignment = assignments_for_user(request.user).filter(pk=data["assignment"]).first()
        if assignment is None:
            raise exceptions.NotFound(_("This venue is not assigned to you."))
        items = {
            i.pk: i
            for i in items_for_kind(assignment.enterprise.kind, assignment.campaign.checklist)
        }
        check, created = record_check(
            assignment,
            actor=request.user,  # type: ignore[arg-type]
            answers=_answers(data["answers"], items, request.FILES),
            note=data["note"],
            checked_at=data["checked_at"],
            client_key=key,
        )
        body = CheckResultSerializer(check).data
        if created:
            return Response(body, status=201)
        return Response(body, headers={"Idempotent-Replayed": "true"})
