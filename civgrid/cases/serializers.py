"""The ledger's JSON shapes: what the API shows of a case, and what it accepts as input.

Serializers only parse and check types; every rule about a case (who may act, in which state,
with what text) stays in civgrid.cases.actions, which the API calls with the parsed values.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from civgrid.api import LATITUDE, LONGITUDE, IdOrCodeField, code_lookup, documented
from civgrid.cases import deadlines
from civgrid.cases.actions import MAX_EXTENSION_DAYS, available_actions
from civgrid.cases.models import Case, CaseEvent, CasePhoto, Category, Source, Urgency
from civgrid.cases.queries import cases_for_user, may_see_full_phone, visible_original
from civgrid.cases.reporting import MAX_CLIENT_KEY
from civgrid.cases.workflow import TRANSITIONS, Status
from civgrid.org.models import Unit
from civgrid.territory.models import Region, Site
from civgrid.territory.queries import place_disagrees

# Relations every case row shows; one join each instead of one query per row.


# --- small fields --------------------------------------------------------------------------------


class StrictBooleanField(serializers.BooleanField):
    """A boolean that is really required: a form that leaves it out is not taken as "false"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if kwargs.get("default", empty) is empty and not kwargs.get("allow_null"):
            self.default_empty_html = empty


@extend_schema_field(
    {"oneOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}
)
class DateOrDateTimeField(serializers.Field):
    """A day (YYYY-MM-DD, Asia/Shanghai) or an exact ISO 8601 instant."""

    default_error_messages = {
        "invalid": _("Give a date as YYYY-MM-DD or a date and time in ISO 8601."),
        "range": _("Give a date between the years 2000 and 2100."),
    }
    # Far beyond any ledger, and far from the calendar's edges (year 1 or 9999 would overflow
    # when shifted to UTC or to the next day).
    YEARS = range(2000, 2101)

    def to_internal_value(self, data: Any) -> dt.date | dt.datetime:
        text = str(data).strip()
        value: dt.date | dt.datetime
        try:
            if len(text) <= 10:
                value = dt.date.fromisoformat(text)
            else:
                value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.fail("invalid")
        if value.year not in self.YEARS:
            self.fail("range")
        if isinstance(value, dt.datetime) and timezone.is_naive(value):
            value = timezone.make_aware(value, timezone.get_default_timezone())
        return value

    def to_representation(self, value: Any) -> str:
        return value.isoformat()


def _text(*, required: bool = False, max_length: int | None = None, help_text: Any = "") -> Any:
    if required:
        return serializers.CharField(max_length=max_length, help_text=help_text)
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=max_length, help_text=help_text
    )


@extend_schema_field({"type": "array", "items": {"type": "string", "format": "binary"}})
class PhotoListField(serializers.ListField):
    """Uploaded photos (multipart `photos` repeated); actions check that each is an image."""


def _photos(help_text: Any) -> serializers.ListField:
    return PhotoListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=settings.CIVGRID_PHOTO_MAX_COUNT,
        help_text=format_lazy(
            "{} {}", help_text, _("JPEG, PNG or WebP; multipart/form-data only.")
        ),
    )


# --- what a case looks like ----------------------------------------------------------------------


class CategoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name"]


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name"]


class GridRefSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="parent.name", default=None, read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "area"]


class SiteRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "code", "name", "kind"]


class CaseRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "tracking_code"]


class CaseListSerializer(serializers.ModelSerializer):
    """A row of the ledger. The reporter's phone is always masked here."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    urgency_display = serializers.CharField(source="get_urgency_display", read_only=True)
    category = CategoryRefSerializer(read_only=True)
    grid = GridRefSerializer(read_only=True, allow_null=True)
    unit = UnitRefSerializer(read_only=True, allow_null=True)
    reporter_phone = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()
    due_on = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "tracking_code",
            "status",
            "status_display",
            "source",
            "source_display",
            "category",
            "urgency",
            "urgency_display",
            "description",
            "address",
            "grid",
            "unit",
            "reporter_name",
            "reporter_phone",
            "due_at",
            "due_on",
            "is_overdue",
            "fixed_on_spot",
            "rework_count",
            "version",
            "created_at",
            "updated_at",
            "closed_at",
        ]
        read_only_fields = fields

    def _now(self) -> dt.datetime:
        # The list passes one `now`, so every row and the overdue filter agree.
        return self.context.get("now") or timezone.now()

    def get_reporter_phone(self, case: Case) -> str:
        return case.masked_phone()

    def get_is_overdue(self, case: Case) -> bool:
        return case.is_overdue(self._now())

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_due_on(self, case: Case) -> dt.date | None:
        """The last day allowed (local), as the office says it."""
        return deadlines.due_day(case.due_at) if case.due_at else None


class CaseEventSerializer(serializers.ModelSerializer):
    action_display = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "action",
            "action_display",
            "actor_name",
            "actor_role",
            "created_at",
            "from_status",
            "to_status",
            "note",
            "data",
        ]
        read_only_fields = fields

    def get_action_display(self, event: CaseEvent) -> str:
        if event.action == "report":
            return gettext("Reported (上报)")
        transition = TRANSITIONS.get(event.action)
        return str(transition.label) if transition else event.action


class CasePhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CasePhoto
        fields = ["id", "kind", "url", "event", "uploaded_at"]
        read_only_fields = fields

    def get_url(self, photo: CasePhoto) -> str:
        # Not the public file URL: photos are served only through a scoped view.
        request = self.context.get("request")
        url = reverse("api:case-photo", args=[photo.case_id, photo.pk])
        return request.build_absolute_uri(url) if request is not None else url


class CaseDetailSerializer(CaseListSerializer):
    """One case with its timeline, photos, current version and what the reader may do now.

    The reporter's phone is shown in full only to the office, inspectors and the unit clerk
    of the unit handling the case. Context: `request`; `visible=False` when the reader just
    acted the case out of their own scope (e.g. a unit returning it), so nothing is offered.
    """

    site = SiteRefSerializer(read_only=True, allow_null=True)
    duplicate_of = CaseRefSerializer(read_only=True, allow_null=True)
    events = CaseEventSerializer(many=True, read_only=True)
    photos = CasePhotoSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "longitude",
            "latitude",
            "site",
            "duplicate_of",
            "extension_days_requested",
            "extension_reason",
            "reply",
            "replied_at",
            "satisfaction",
            "assigned_at",
            "available_actions",
            "events",
            "photos",
        ]
        read_only_fields = fields

    def get_reporter_phone(self, case: Case) -> str:
        user = self.context["request"].user
        return case.reporter_phone if may_see_full_phone(user, case) else case.masked_phone()

    def to_representation(self, instance: Case) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if instance.duplicate_of_id and not visible_original(
            self.context["request"].user, instance
        ):
            # Out of the reader's scope: neither the field nor the merge event names it.
            data["duplicate_of"] = None
            for event in data["events"]:
                if isinstance(event.get("data"), dict) and "duplicate_of" in event["data"]:
                    event["data"] = {**event["data"], "duplicate_of": None}
        return data

    def get_available_actions(self, case: Case) -> list[str]:
        if not self.context.get("visible", True):
            return []
        return available_actions(case, self.context["request"].user)


# --- list filters --------------------------------------------------------------------------------


class CaseFilterSerializer(serializers.Serializer):
    """Query parameters of the case list; every one is optional and they combine with AND."""

    status = serializers.ListField(
        child=serializers.ChoiceField(choices=Status.choices),
        required=False,
        help_text=_("One or more statuses: repeat the parameter or separate with commas."),
    )
    unit = IdOrCodeField(
        queryset=Unit.objects.all(),
        label_text=_("unit"),
        required=False,
        help_text=_("Responsible unit, by id or code."),
    )
    grid = IdOrCodeField(
        queryset=Region.objects.filter(level=Region.Level.GRID),
        label_text=_("grid"),
        required=False,
        help_text=_("Grid, by id or code."),
    )
    region = IdOrCodeField(
        queryset=Region.objects.all(),
        label_text=_("region"),
        required=False,
        help_text=_("A street, 片区 or grid, by id or code: cases in every grid under it."),
    )
    source = serializers.ChoiceField(choices=Source.choices, required=False)  # type: ignore[assignment]
    category = IdOrCodeField(
        queryset=Category.objects.all(),
        label_text=_("category"),
        required=False,
        help_text=_("Problem category, by id or code."),
    )
    overdue = StrictBooleanField(
        required=False,
        help_text=_("true: deadline passed and not closed; false: every other case."),
    )
    created_after = DateOrDateTimeField(
        required=False, help_text=_("Reported on or after this day (or instant).")
    )
    created_before = DateOrDateTimeField(
        required=False,
        help_text=_("Reported on or before this day, or strictly before this instant."),
    )
    q = serializers.CharField(
        required=False,
        max_length=100,
        help_text=_("Text in the tracking code, description or address."),
    )
    ordering = serializers.ChoiceField(
        choices=["-created_at", "created_at", "due_at", "-due_at", "-updated_at", "updated_at"],
        required=False,
        help_text=_("Sort order; newest reports first by default."),
    )


# --- reporting a case ----------------------------------------------------------------------------


class CaseCreateSerializer(serializers.Serializer):
    """A new report (上报). Give the category by id or code; give the grid, a site, or the
    coordinates (the grid containing the point is found)."""

    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    category = IdOrCodeField(
        queryset=Category.objects.all(),
        label_text=_("category"),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Category id, or its code."),
    )
    category_code = serializers.CharField(
        required=False, help_text=_("Category code (instead of `category`).")
    )
    description = _text(required=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    longitude = documented(
        serializers.FloatField, LONGITUDE, required=False, allow_null=True, default=None
    )
    latitude = documented(
        serializers.FloatField, LATITUDE, required=False, allow_null=True, default=None
    )
    address = _text(max_length=255)
    grid = IdOrCodeField(
        queryset=Region.objects.all(),
        label_text=_("grid"),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Grid id or code; found from the coordinates when left out."),
    )
    site = IdOrCodeField(
        queryset=Site.objects.select_related("grid"),
        label_text=_("site"),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Site (点位) id or code."),
    )
    reporter_name = _text(max_length=50)
    reporter_phone = _text(max_length=32)
    client_key = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_CLIENT_KEY,
        help_text=_(
            "Makes the request idempotent (also as the Idempotency-Key header): the same key "
            "from the same user returns the case already created."
        ),
    )
    photos = _photos(_("Photos of the problem."))
    fixed_on_spot = serializers.BooleanField(
        default=False, help_text=_("Fixed on the spot (现场整改): closes the case at once.")
    )
    fix_note = _text(help_text=_("What was done, when fixed on the spot."))
    fix_photos = _photos(_("Evidence of the fix on the spot."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        code = attrs.pop("category_code", None)
        if code:
            attrs["category"] = code_lookup(
                Category.objects.all(), code, gettext("category"), "category_code"
            )
        if attrs.get("category") is None:
            raise serializers.ValidationError({"category": [gettext("Choose a category.")]})
        where = (
            attrs.get("grid"),
            attrs.get("site"),
            attrs.get("longitude"),
            attrs.get("latitude"),
        )
        if place_disagrees(*where):
            raise serializers.ValidationError(
                {"longitude": [gettext("The coordinates lie outside the grid given.")]}
            )
        return attrs


# --- acting on a case ----------------------------------------------------------------------------


class ActionSerializer(serializers.Serializer):
    """What every action needs: the version of the case the client saw (optimistic locking)."""

    version = serializers.IntegerField(
        min_value=1,
        help_text=_("The case's `version` as last read; a newer one answers 409 “stale”."),
        error_messages={"invalid": _("The version must be a whole number.")},
    )

    def action_kwargs(self) -> dict[str, Any]:
        """The validated parameters as the action function's keyword arguments."""
        data = dict(self.validated_data)
        data.pop("version")
        return {k: v for k, v in data.items() if v is not None}


def _category_and_grid(attrs: dict[str, Any]) -> dict[str, Any]:
    if code := attrs.pop("category_code", None):
        attrs["category"] = code_lookup(
            Category.objects.all(), code, gettext("category"), "category_code"
        )
    if code := attrs.pop("grid_code", None):
        attrs["grid"] = code_lookup(Region.objects.all(), code, gettext("grid"), "grid_code")
    return attrs


class RegisterSerializer(ActionSerializer):
    note = _text()
    category = IdOrCodeField(
        queryset=Category.objects.all(),
        label_text=_("category"),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Correct the category (id or code)."),
    )
    category_code = serializers.CharField(required=False)
    urgency = serializers.ChoiceField(
        choices=Urgency.choices, required=False, allow_null=True, default=None
    )
    grid = IdOrCodeField(
        queryset=Region.objects.all(),
        label_text=_("grid"),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Correct the grid (id or code)."),
    )
    grid_code = serializers.CharField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _category_and_grid(attrs)


class SendDownSerializer(ActionSerializer):
    district = IdOrCodeField(
        queryset=Region.objects.filter(level=Region.Level.DISTRICT),
        label_text=_("district"),
        help_text=_("The district the case is sent down to (id or code)."),
    )
    grid = IdOrCodeField(
        queryset=Region.objects.filter(level=Region.Level.GRID),
        label_text=_("grid"),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A grid of that district, when the case's grid lies elsewhere (id or code)."),
    )
    note = _text()


class RejectSerializer(ActionSerializer):
    reason = _text(required=True)


class MarkDuplicateSerializer(ActionSerializer):
    original = serializers.CharField(
        max_length=30, help_text=_("The original case: its id or tracking code.")
    )
    note = _text()

    def validate_original(self, value: str) -> Case:
        value = value.strip()
        cases = cases_for_user(self.context["request"].user)
        lookup = (
            {"pk": int(value)}
            if value.isascii() and value.isdigit()
            else {"tracking_code": value.upper()}
        )
        original = cases.filter(**lookup).first()
        if original is None:
            raise serializers.ValidationError(gettext("No such original case."))
        return original


class FixOnSpotSerializer(ActionSerializer):
    note = _text(required=True, help_text=_("What was done."))
    photos = _photos(_("Evidence of the fix."))


class AssignSerializer(ActionSerializer):
    unit = IdOrCodeField(
        queryset=Unit.objects.all(),
        label_text=_("unit"),
        help_text=_("Responsible unit, by id or code."),
    )
    due_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Last day allowed (YYYY-MM-DD); from the category's rule when left out."),
        error_messages={"invalid": _("Give the deadline as a date, YYYY-MM-DD.")},
    )
    note = _text()


class AcceptSerializer(ActionSerializer):
    note = _text()


class ReturnCaseSerializer(ActionSerializer):
    reason = _text(required=True, help_text=_("Why the case is not this unit's."))


_DAYS = {"type": "integer", "minimum": 1, "maximum": MAX_EXTENSION_DAYS}
_DAYS_ERRORS: dict[str, Any] = {"invalid": _("The number of days must be a whole number.")}


class RequestExtensionSerializer(ActionSerializer):
    days = documented(
        serializers.IntegerField,
        _DAYS,
        help_text=_("Working days asked for."),
        error_messages=_DAYS_ERRORS,
    )
    reason = _text(required=True)


class DecideExtensionSerializer(ActionSerializer):
    grant = StrictBooleanField(help_text=_("true grants, false refuses (a note is then needed)."))
    days = documented(
        serializers.IntegerField,
        _DAYS,
        required=False,
        allow_null=True,
        default=None,
        error_messages=_DAYS_ERRORS,
        help_text=_("Working days granted; the days asked for when left out."),
    )
    note = _text()


class SubmitSerializer(ActionSerializer):
    note = _text(required=True, help_text=_("What was done."))
    photos = _photos(_("Evidence of the fix."))


class VerifyPassSerializer(ActionSerializer):
    note = _text()
    photos = _photos(_("Photos taken at verification."))


class VerifyFailSerializer(ActionSerializer):
    reason = _text(required=True, help_text=_("What is still wrong."))
    photos = _photos(_("Photos taken at verification."))


class ReplySerializer(ActionSerializer):
    text = _text(required=True, help_text=_("The answer to the reporter."))


class RateSerializer(ActionSerializer):
    score = documented(
        serializers.IntegerField,
        {"type": "integer", "minimum": 1, "maximum": 5},
        help_text=_("Satisfaction from 1 to 5."),
        error_messages={"invalid": _("The score must be a whole number from 1 to 5.")},
    )
    note = _text()


class UrgeSerializer(ActionSerializer):
    note = _text(required=True)


class CommentSerializer(ActionSerializer):
    note = _text(required=True)


ACTION_SERIALIZERS: dict[str, type[ActionSerializer]] = {
    "register": RegisterSerializer,
    "send_down": SendDownSerializer,
    "reject": RejectSerializer,
    "mark_duplicate": MarkDuplicateSerializer,
    "fix_on_spot": FixOnSpotSerializer,
    "assign": AssignSerializer,
    "accept": AcceptSerializer,
    "return_case": ReturnCaseSerializer,
    "request_extension": RequestExtensionSerializer,
    "decide_extension": DecideExtensionSerializer,
    "submit": SubmitSerializer,
    "verify_pass": VerifyPassSerializer,
    "verify_fail": VerifyFailSerializer,
    "reply": ReplySerializer,
    "rate": RateSerializer,
    "urge": UrgeSerializer,
    "comment": CommentSerializer,
}
assert set(ACTION_SERIALIZERS) == set(TRANSITIONS), "every action has its request serializer"
for _name, _cls in ACTION_SERIALIZERS.items():
    if _cls.__doc__ is None:
        _cls.__doc__ = f"Parameters of the `{_name}` action."
