"""The ledger's JSON API (/api/v1/cases/…): thin views over queries.py and actions.py.

Each view parses the request with a serializer, fetches the case through
`cases_for_user` (so a case outside the reader's scope is a 404, never a 403), calls the
action, and answers with the case as it now is. Errors raised by actions become the common
error body in civgrid.api.exception_handler.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from typing import Any, cast

from django.db.models import F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import exceptions, generics, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civgrid.api import Pagination, error_response
from civgrid.cases import actions, reporting
from civgrid.cases.models import Case, CaseEvent, CasePhoto, Category
from civgrid.cases.photos import photo_response
from civgrid.cases.queries import CASE_RELATED, cases_for_user, get_case_for_user, overdue_q
from civgrid.cases.serializers import (
    ACTION_SERIALIZERS,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseListSerializer,
)
from civgrid.cases.workflow import TRANSITIONS

IDEMPOTENCY_HEADER = "Idempotency-Key"

NOT_AUTHENTICATED = error_response("No or invalid credentials (token or session).")
NOT_FOUND = error_response("No such case, or the case is outside your scope.")


def _start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def filter_cases(cases: QuerySet[Case], params: dict[str, Any], now: dt.datetime) -> QuerySet[Case]:
    """Apply the list's query parameters (already validated) to an already scoped queryset."""
    if params.get("status"):
        cases = cases.filter(status__in=params["status"])
    for name in ("unit", "grid", "source", "category"):
        if params.get(name) is not None:
            cases = cases.filter(**{name: params[name]})
    if (region := params.get("region")) is not None:
        cases = cases.filter(grid__path__startswith=region.path)
    if params.get("overdue") is True:
        cases = cases.filter(overdue_q(now))
    elif params.get("overdue") is False:
        cases = cases.exclude(overdue_q(now))
    if (after := params.get("created_after")) is not None:
        if not isinstance(after, dt.datetime):
            after = _start_of_day(after)
        cases = cases.filter(created_at__gte=after)
    if (before := params.get("created_before")) is not None:
        if not isinstance(before, dt.datetime):
            before = _start_of_day(before + dt.timedelta(days=1))  # the whole day is included
        cases = cases.filter(created_at__lt=before)
    if q := (params.get("q") or "").strip():
        cases = cases.filter(
            Q(tracking_code__icontains=q) | Q(description__icontains=q) | Q(address__icontains=q)
        )
    if ordering := params.get("ordering"):
        # Cases without a deadline sort last either way, on SQLite as on PostgreSQL.
        field = F(ordering.lstrip("-"))
        key = (
            field.desc(nulls_last=True) if ordering.startswith("-") else field.asc(nulls_last=True)
        )
        cases = cases.order_by(key, "-id")
    return cases


def _with_details(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related(*CASE_RELATED).prefetch_related(
        Prefetch("events", queryset=CaseEvent.objects.order_by("created_at", "id")),
        Prefetch("photos", queryset=CasePhoto.objects.order_by("uploaded_at", "id")),
    )


def _detail_response(
    request: Request, lookup: dict[str, Any], *, after_action: bool = False, **kw: Any
) -> Response:
    """The case as it is now, for the reader; 404 when outside their scope.

    After the reader's own action moved the case out of their scope (a unit returning it),
    they still get the result of what they did, with no further actions offered.
    """
    case = _with_details(cases_for_user(request.user)).filter(**lookup).first()
    visible = case is not None
    if case is None:
        if not after_action:
            raise exceptions.NotFound(_("No such case."))
        case = _with_details(Case.objects.all()).get(**lookup)
    data = CaseDetailSerializer(case, context={"request": request, "visible": visible}).data
    return Response(data, **kw)


def _actor(request: Request) -> Any:
    """The acting user; every view here requires authentication (DEFAULT_PERMISSION_CLASSES)."""
    assert request.user.is_authenticated
    return request.user


def _query_params(request: Request) -> Any:
    params = request.query_params.copy()
    params.setlist(
        "status", [s.strip() for v in params.getlist("status") for s in v.split(",") if s.strip()]
    )
    return params


class CaseListView(generics.GenericAPIView):
    """The ledger: cases the user may see, newest first; and reporting a new case."""

    pagination_class = Pagination
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = CaseListSerializer

    def get_queryset(self) -> QuerySet[Case]:
        return cases_for_user(self.request.user).select_related(*CASE_RELATED)

    @extend_schema(
        summary="List cases in your scope",
        parameters=[CaseFilterSerializer],
        responses={
            200: CaseListSerializer(many=True),
            400: error_response("A filter value is not valid."),
            401: NOT_AUTHENTICATED,
        },
    )
    def get(self, request: Request) -> Response:
        filters = CaseFilterSerializer(data=_query_params(request))
        filters.is_valid(raise_exception=True)
        now = timezone.now()
        cases = filter_cases(self.get_queryset(), filters.validated_data, now)
        page = self.paginate_queryset(cases)
        data = CaseListSerializer(page, many=True, context={"request": request, "now": now}).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Report a case (上报)",
        description=(
            "Idempotent: send an `Idempotency-Key` header (or a `client_key` field). The same "
            "key from the same user returns the case created the first time, with status 200 "
            "instead of 201. JSON without photos, or multipart/form-data with `photos`."
        ),
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="A key unique per report, chosen by the client (at most 100 chars).",
            )
        ],
        request={
            "application/json": CaseCreateSerializer,
            "multipart/form-data": CaseCreateSerializer,
        },
        responses={
            201: OpenApiResponse(CaseDetailSerializer, description="Created."),
            200: OpenApiResponse(
                CaseDetailSerializer, description="Already created with this key: that case."
            ),
            400: error_response("The report is not valid; nothing was created."),
            401: NOT_AUTHENTICATED,
            403: error_response("Your role may not report this way."),
        },
        examples=[
            OpenApiExample(
                "By coordinates",
                request_only=True,
                value={
                    "source": "patrol",
                    "category": "ZDJY",
                    "urgency": "normal",
                    "description": "国槐街路口占道经营，摊位堵塞人行道",
                    "longitude": 114.605,
                    "latitude": 33.605,
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        form = CaseCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        key = _client_key(request, data.pop("client_key", ""))
        case, created = reporting.report_case(actor=_actor(request), client_key=key, **data)
        if created:
            location = reverse("api:case-detail", args=[case.pk])
            return _detail_response(
                request,
                {"pk": case.pk},
                after_action=True,
                status=201,
                headers={"Location": location},
            )
        return _detail_response(
            request, {"pk": case.pk}, after_action=True, headers={"Idempotent-Replayed": "true"}
        )


def _client_key(request: Request, field_value: str) -> str | None:
    header = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
    field_value = (field_value or "").strip()
    if header and field_value and header != field_value:
        raise serializers.ValidationError(
            {"client_key": [_("The client_key field and the Idempotency-Key header differ.")]}
        )
    key = header or field_value
    if len(key) > reporting.MAX_CLIENT_KEY:
        raise serializers.ValidationError(
            {
                "client_key": [
                    _("The idempotency key is too long (at most %(n)d characters).")
                    % {"n": reporting.MAX_CLIENT_KEY}
                ]
            }
        )
    return key or None


DETAIL_RESPONSES = {
    200: CaseDetailSerializer,
    401: NOT_AUTHENTICATED,
    404: NOT_FOUND,
}


class CaseDetailView(APIView):
    @extend_schema(summary="One case with its timeline", responses=DETAIL_RESPONSES)
    def get(self, request: Request, pk: int) -> Response:
        return _detail_response(request, {"pk": pk})


class CaseByCodeView(APIView):
    @extend_schema(
        summary="One case by its tracking code",
        parameters=[OpenApiParameter("tracking_code", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses=DETAIL_RESPONSES,
    )
    def get(self, request: Request, tracking_code: str) -> Response:
        return _detail_response(request, {"tracking_code": tracking_code.strip().upper()})


class CasePhotoView(APIView):
    """A photo of a case, for those who may see the case (token or session)."""

    @extend_schema(responses={(200, "image/*"): OpenApiTypes.BINARY}, summary="Case photo")
    def get(self, request: Request, pk: int, photo_pk: int) -> Any:
        return photo_response(get_case_for_user(request.user, pk), photo_pk)


class CaseActionView(APIView):
    """Carry out one workflow action on a case (POST …/cases/{id}/actions/{name}/)."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_name = ""

    def post(self, request: Request, pk: int, name: str | None = None) -> Response:
        name = name or self.action_name
        if name not in actions.ACTIONS:
            raise exceptions.NotFound(_("No such action: %(name)s.") % {"name": name})
        case = cases_for_user(request.user).filter(pk=pk).first()
        if case is None:
            raise exceptions.NotFound(_("No such case."))
        form = ACTION_SERIALIZERS[name](data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        action = cast(Callable[..., Case], actions.ACTIONS[name])
        action(
            case,
            actor=_actor(request),
            expected_version=form.validated_data["version"],
            **form.action_kwargs(),
        )
        return _detail_response(request, {"pk": case.pk}, after_action=True)


class UnknownCaseActionView(CaseActionView):
    @extend_schema(exclude=True)
    def post(self, request: Request, pk: int, name: str | None = None) -> Response:
        return super().post(request, pk, name)


def _action_view(name: str) -> type[CaseActionView]:
    """A view class for one action, so the schema documents each request body on its own."""
    transition = TRANSITIONS[name]
    serializer = ACTION_SERIALIZERS[name]
    function_doc = inspect.cleandoc(actions.ACTIONS[name].__doc__ or "")
    roles = ", ".join(sorted(transition.roles))
    sources = ", ".join(sorted(transition.sources))

    @extend_schema(
        summary=transition.label,
        description=f"{function_doc}\n\nRoles: {roles}. From status: {sources}.",
        request={"application/json": serializer, "multipart/form-data": serializer},
        responses={
            200: OpenApiResponse(CaseDetailSerializer, description="The case after the action."),
            400: error_response("Invalid input (`field` names it); nothing changed."),
            401: NOT_AUTHENTICATED,
            403: error_response("Your role, or your responsibility, does not allow it."),
            404: NOT_FOUND,
            409: error_response(
                "`illegal_transition`: not possible in the case's status; `stale`: the case "
                "changed since you read `version` — reload and retry."
            ),
        },
        tags=["case actions"],
    )
    def post(self: CaseActionView, request: Request, pk: int) -> Response:
        return CaseActionView.post(self, request, pk)

    return type(
        f"{''.join(p.title() for p in name.split('_'))}ActionView",
        (CaseActionView,),
        {"action_name": name, "post": post, "__doc__": f"The `{name}` action."},
    )


ACTION_VIEWS = {name: _action_view(name) for name in actions.ACTIONS}


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name", "description", "working_days", "default_unit"]


class CategoryListView(generics.ListAPIView):
    """Problem categories in use (问题类别), for the report form. Not paginated."""

    pagination_class = None
    serializer_class = CategorySerializer

    def get_queryset(self) -> QuerySet[Category]:
        return Category.objects.filter(is_active=True)

    @extend_schema(
        summary="Problem categories in use",
        responses={200: CategorySerializer(many=True), 401: NOT_AUTHENTICATED},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
