"""Exports through the JSON API (/api/v1/exports/…): ask for one, poll it, download it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civgrid.api import documented, error_response
from civgrid.bulletins.jobs import get_job_for_user, request_export
from civgrid.bulletins.models import ExportJob, ExportKind
from civgrid.bulletins.views import BULLETIN_ROLES, EXPORT_ROLES, LEDGER_FILTERS
from civgrid.org.queries import role_of
from civgrid.reports.periods import Period, PeriodError
from civgrid.worklogs.queries import may_read

# Kinds and statuses are plain strings in the schema: an enum named "kind" or "status" would
# collide with the other apps' enums of the same field name.
KINDS_HELP = ", ".join(ExportKind.values)


class ExportRequestSerializer(serializers.Serializer):
    kind = documented(
        serializers.CharField,
        {"type": "string", "enum": list(ExportKind.values)},
        help_text=KINDS_HELP,
    )

    def validate_kind(self, value: str) -> str:
        if value not in ExportKind.values:
            raise serializers.ValidationError(
                _("Choose one of: %(kinds)s.") % {"kinds": KINDS_HELP}
            )
        return value

    period = serializers.CharField(
        required=False, help_text="For bulletins and work logs: 2024-03, 2024-Q1, …"
    )
    filters = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="For the ledger: the ledger page's filters (status, overdue, unit, …).",
    )


class ExportJobSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KINDS_HELP)
    status = serializers.CharField(read_only=True, help_text="queued, running, done, failed")
    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "status",
            "rows_done",
            "rows_total",
            "percent",
            "error",
            "created_at",
            "finished_at",
            "download_url",
        ]

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != "done":
            return None
        return reverse("bulletins:download", args=[job.pk])


def _allowed(user: Any, kind: str) -> bool:
    role = role_of(user)
    if kind == ExportKind.LEDGER_XLSX:
        return role in EXPORT_ROLES
    if kind == ExportKind.BULLETIN_DOCX:
        return role in BULLETIN_ROLES
    return may_read(user)


class ExportList(APIView):
    @extend_schema(
        summary="Ask for an export",
        request=ExportRequestSerializer,
        responses={
            202: ExportJobSerializer,
            400: error_response("Bad input."),
            403: error_response("Your role may not make this export."),
        },
    )
    def post(self, request: Request) -> Response:
        form = ExportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        kind = form.validated_data["kind"]
        if not _allowed(request.user, kind):
            raise exceptions.PermissionDenied(_("You may not make this export."))
        params: dict[str, Any] = {}
        if kind == ExportKind.LEDGER_XLSX:
            filters = form.validated_data.get("filters") or {}
            params["filters"] = {k: v for k, v in filters.items() if k in LEDGER_FILTERS and v}
        else:
            try:
                params["period"] = Period.parse(form.validated_data.get("period", "")).key()
            except PeriodError as exc:
                raise exceptions.ValidationError({"period": [str(exc)]}) from exc
        job = request_export(actor=request.user, kind=kind, params=params)
        job.refresh_from_db()
        return Response(ExportJobSerializer(job).data, status=202)


class ExportDetail(APIView):
    @extend_schema(summary="An export's progress", responses={200: ExportJobSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ExportJobSerializer(get_job_for_user(request.user, pk)).data)
