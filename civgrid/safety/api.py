"""The safety checklist in the JSON API (/api/v1/safety/checklist/): the items a check of a
venue kind goes through, from the current edition (the phone reads it before a check)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civgrid.api import error_response, parse_query
from civgrid.enterprises.models import Kind
from civgrid.org.queries import role_of
from civgrid.safety.models import Checklist, ChecklistItem, Grade
from civgrid.safety.queries import CHECKLIST_ROLES, items_for_kind


class ChecklistItemSerializer(serializers.ModelSerializer):
    grade = serializers.ChoiceField(choices=Grade.choices, read_only=True)

    class Meta:
        model = ChecklistItem
        fields = ["id", "code", "section", "text", "grade", "deadline_workdays"]
        read_only_fields = fields


class ChecklistSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="The edition's code.")
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    items = ChecklistItemSerializer(many=True, read_only=True)


class KindQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)


class ChecklistView(APIView):
    @extend_schema(
        summary="The current checklist for a venue kind",
        parameters=[KindQuerySerializer],
        responses={
            200: ChecklistSerializer,
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
        return Response(ChecklistSerializer(data).data)
