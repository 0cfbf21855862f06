"""What every endpoint under /api/v1/ shares: the error format, id-or-code references, paging.

Every refusal has one shape, whatever raised it, so a client needs one error path:

    {"error": "<code>", "message": "<for the user, in their language>", "field": "<input>"|null}

plus "errors" (every field's messages) when the input failed validation. Case actions raise
CaseActionError, whose subclasses carry their HTTP status (400/403/409).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from django.urls import Resolver404, resolve
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from civgrid.cases.actions import CaseActionError
from civgrid.lib.clientip import client_ip
from civgrid.org.logins import lockout_message, retry_after_seconds
from civgrid.org.queries import get_person, role_of


def _first_error(detail: Any, field: str | None = None) -> tuple[str | None, str]:
    """The first (field, message) in a nested DRF error detail, e.g. photos.0 → "photos"."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = field
            if field is None and key != "non_field_errors":
                name = str(key)
            return _first_error(value, name)
    if isinstance(detail, list):
        for item in detail:
            return _first_error(item, field)
    return field, str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST framework's handler, with CaseActionError added and every body in one shape."""
    if isinstance(exc, CaseActionError):
        set_rollback()  # with ATOMIC_REQUESTS, a refused action leaves no trace either
        return Response(
            {"error": exc.code, "message": exc.message, "field": exc.field},
            status=exc.http_status,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return response
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_error(exc.detail)
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"error": "invalid", "message": message, "field": field, "errors": errors}
        return response
    data: dict[str, Any] = response.data if isinstance(response.data, dict) else {}
    detail = data.get("detail", "")
    error_code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    response.data = {"error": str(error_code), "message": str(detail), "field": None}
    return response


class ErrorSerializer(serializers.Serializer):
    """The body of every refusal (documentation only)."""

    error = serializers.CharField(
        help_text="invalid, forbidden, illegal_transition, stale, not_found, not_authenticated…"
    )
    message = serializers.CharField(help_text="For the user, in the request's language.")
    field = serializers.CharField(allow_null=True, help_text="The input at fault, if any.")
    errors = serializers.DictField(  # type: ignore[assignment]  # a field, not Serializer.errors
        required=False, help_text="Every field's messages, when the input failed validation."
    )


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class IdOrCodeField(serializers.Field):
    """A reference by database id or by code.

    A JSON number is an id and a string with letters a code. A string of digits is either,
    because real codes are often digits (区划代码 411602001): it is refused as ambiguous only
    when it is the id of one row and the code of another, never silently taken as one of them.
    """

    default_error_messages = {
        "does_not_exist": _("No such {label}: {value}."),
        "invalid": _("Give the {label} as an id or a code."),
        "ambiguous": _("{value} is the id of one {label} and the code of another; give the code."),
    }

    def __init__(
        self, *, queryset: QuerySet[Any], label_text: Any, code_field: str = "code", **kwargs: Any
    ) -> None:
        self.queryset = queryset
        self.label_text = label_text
        self.code_field = code_field
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Model:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid", label=self.label_text)
        if isinstance(data, int):
            if not 0 < data < 2**63:
                self.fail("does_not_exist", label=self.label_text, value=data)
            query = Q(pk=data)
        else:
            value = data.strip()
            if not value or len(value) > 100:
                self.fail("invalid", label=self.label_text)
            query = Q(**{self.code_field: value})
            if value.isascii() and value.isdigit() and len(value) < 19:
                query |= Q(pk=int(value))
        found = list(self.queryset.filter(query)[:2])
        if not found:
            self.fail("does_not_exist", label=self.label_text, value=data)
        if len(found) > 1:
            self.fail("ambiguous", label=self.label_text, value=data)
        return found[0]

    def to_representation(self, value: Model) -> Any:
        return value.pk


def code_lookup(queryset: QuerySet[Any], value: str, label_text: str, field: str) -> Model:
    """The row with this exact code, or a validation error naming `field`."""
    try:
        return queryset.get(code=value.strip())
    except queryset.model.DoesNotExist as exc:
        raise serializers.ValidationError(
            {field: [gettext("No such {label}: {value}.").format(label=label_text, value=value)]}
        ) from exc


def _resolves_elsewhere(path: str) -> bool:
    try:
        return getattr(resolve(path).func, "view_class", None) is not NotFoundView
    except Resolver404:
        return False


class NotFoundView(APIView):
    """Any other address under /api/v1/: a JSON 404, not the HTML page meant for browsers."""

    schema = None
    authentication_classes = ()
    permission_classes = (AllowAny,)

    def answer(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with_slash = request.path + "/"
        if not request.path.endswith("/") and _resolves_elsewhere(with_slash):
            raise exceptions.NotFound(
                gettext("No such API endpoint. Did you mean %(path)s?") % {"path": with_slash}
            )
        raise exceptions.NotFound(gettext("No such API endpoint."))

    get = post = put = patch = delete = answer


# --- tokens --------------------------------------------------------------------------------------


class ClientIPThrottle(AnonRateThrottle):
    """Counts per client address as civgrid.lib.clientip gives it: REST framework's own
    get_ident believes any X-Forwarded-For, so rotating that header would reset the count."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class TokenThrottle(ClientIPThrottle):
    """Slows password guessing; generous enough for an office behind one address (the lockout
    per user name and address, civgrid.org.logins, stops guessing one account sooner)."""

    scope = "token"
    rate = "30/minute"


class LockedOut(exceptions.APIException):
    """Refused by the lockout (civgrid.org.logins), whatever the password."""

    status_code = 429
    default_code = "locked_out"

    def __init__(self, detail: str, wait: int) -> None:
        super().__init__(detail)
        self.wait = wait  # REST framework sends it as Retry-After


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    username = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    role = serializers.CharField(allow_null=True)


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (the same token every time)."""

    authentication_classes = ()
    throttle_classes = [TokenThrottle]

    @extend_schema(
        summary="Obtain an API token",
        auth=[],
        request={
            "application/json": AuthTokenSerializer,
            "application/x-www-form-urlencoded": AuthTokenSerializer,
        },
        responses={
            200: TokenResponseSerializer,
            400: error_response("Wrong username or password."),
            429: error_response(
                "Too many attempts from this address, or too many failures for this user name "
                "from it (locked out until the time in the message)."
            ),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = self.get_serializer(data=request.data)
        if not form.is_valid():
            # django-axes marks the request when this pair is (now) locked out.
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(lockout_message(request), retry_after_seconds(request))
            raise exceptions.ValidationError(form.errors)
        user = form.validated_data["user"]
        token, _created = Token.objects.get_or_create(user=user)
        person = get_person(user)
        return Response(
            {
                "token": token.key,
                "username": user.get_username(),
                "name": person.name if person else "",
                "role": role_of(user),
            }
        )
