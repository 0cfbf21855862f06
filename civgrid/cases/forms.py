"""Forms of the ledger pages: the ledger filters, the report form and one form per action.

Forms only parse what the browser sent into the arguments of civgrid.cases.actions; the rules
(who may, in which state, what is required) live in the actions, whose CaseActionError the
views attach to the form field it names. Field names therefore match the actions' keyword
arguments and the `field` of their errors.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from civgrid.cases.actions import MAX_EXTENSION_DAYS, MAX_TEXT
from civgrid.cases.models import Case, Category, Source, Urgency, sources_for
from civgrid.cases.queries import due_soon_q, get_case_by_code_for_user, overdue_q
from civgrid.cases.workflow import CLOSED_STATES, TRANSITIONS, Status
from civgrid.org.models import Role, Unit
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.org.scope import Scope, district_choices, grids_for, scope_of
from civgrid.territory.models import Region
from civgrid.territory.queries import grids

# --- widgets and fields ----------------------------------------------------------------------


class MultiplePhotoInput(forms.FileInput):
    """Several photos at once; on a phone `capture` opens the back camera directly."""

    allow_multiple_selected = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"accept": "image/*", "capture": "environment", **(attrs or {})})


class PhotosField(forms.FileField):
    """A list of uploaded files (possibly empty); the actions check that they are images."""

    widget = MultiplePhotoInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos"))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        return [single(item, initial) for item in items if item]


def text_field(label: Any, *, required: bool, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def grid_choices(user: AnyUser | None = None) -> list[tuple[Any, Any]]:
    """Grids grouped by their 片区, for selects that hold a few hundred of them."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for pk, name, area in (
        grids_for(user).order_by("parent__name", "code").values_list("id", "name", "parent__name")
    ):
        groups.setdefault(area or "", []).append((pk, name))
    return [("", "---------"), *((area, items) for area, items in groups.items())]


def grid_field(**kwargs: Any) -> forms.ModelChoiceField:
    """Choices are grouped when the form is built (see set_grid_choices), not at import."""
    return forms.ModelChoiceField(queryset=grids(), required=False, **kwargs)


def set_grid_choices(
    form: forms.Form, empty_label: Any = "---------", user: AnyUser | None = None
) -> None:
    field = cast(forms.ModelChoiceField, form.fields["grid"])
    field.queryset = grids_for(user)
    choices = grid_choices(user)
    choices[0] = ("", empty_label)
    field.choices = choices


# --- the ledger filters ----------------------------------------------------------------------

OPEN = "open"
YES, NO = "yes", "no"
SOON, PENDING = "soon", "pending"


class LedgerFilterForm(forms.Form):
    """The ledger's filters (GET). Invalid values are ignored, the rest still apply."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), (OPEN, _("Open (未办结)")), *Status.choices],
    )
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        required=False,
        choices=[("", _("All")), (YES, _("Overdue (超期)")), (NO, _("Not overdue"))],
    )
    due = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("All")), (SOON, _("Due within a working day (临期)"))],
    )
    extension = forms.ChoiceField(
        label=_("Extension"),
        required=False,
        choices=[("", _("All")), (PENDING, _("Extension requested (待审批延期)"))],
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=Unit.objects.all(), empty_label=_("All")
    )
    grid = forms.ModelChoiceField(label=_("Grid"), required=False, queryset=grids())
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *Source.choices]
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.all(),
        empty_label=_("All"),
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Code, description, address, reporter")}
        ),
    )

    def __init__(self, *args: Any, user: AnyUser | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_grid_choices(self, _("All"), user)
        if user is not None and role_of(user) in (Role.OFFICE, Role.INSPECTOR):
            units = cast(forms.ModelChoiceField, self.fields["unit"])
            units.queryset = scope_of(user).units()

    def filter(self, cases: QuerySet[Case], now: dt.datetime) -> QuerySet[Case]:
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        status = data.get("status")
        if status == OPEN:
            cases = cases.exclude(status__in=CLOSED_STATES)
        elif status:
            cases = cases.filter(status=status)
        overdue = overdue_q(now)
        if data.get("overdue") == YES:
            cases = cases.filter(overdue)
        elif data.get("overdue") == NO:
            cases = cases.exclude(overdue)
        if data.get("due") == SOON:
            cases = cases.filter(due_soon_q(now))
        if data.get("extension") == PENDING:
            cases = cases.filter(extension_days_requested__isnull=False)
        for name in ("unit", "grid", "category", "source"):
            if data.get(name):
                cases = cases.filter(**{name: data[name]})
        if text := (data.get("q") or "").strip():
            cases = cases.filter(
                Q(tracking_code__icontains=text)
                | Q(description__icontains=text)
                | Q(address__icontains=text)
                | Q(reporter_name__icontains=text)
            )
        return cases


# --- reporting -------------------------------------------------------------------------------


class ReportForm(forms.Form):
    """上报问题: what, where (GPS, map or grid), who told us, and optionally fixed on the spot."""

    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True)
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    description = text_field(_("Description"), required=True, rows=4)
    photos = PhotosField(label=_("Photos of the problem"))
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    grid = grid_field(label=_("Grid"))
    address = forms.CharField(label=_("Address or landmark"), required=False, max_length=255)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    reporter_name = forms.CharField(label=_("Reporter name"), required=False, max_length=50)
    reporter_phone = forms.CharField(
        label=_("Reporter phone"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    fixed_on_spot = forms.BooleanField(label=_("Fixed on the spot (现场整改)"), required=False)
    fix_note = text_field(_("What was done"), required=False)
    fix_photos = PhotosField(label=_("Photos after the fix"))
    # Generated when the page is drawn: a form sent twice (double tap, resend after a lost
    # connection) carries the same key, and report_case returns the case it already made.
    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_grid_choices(self, user=user)
        role = role_of(user)
        self.initial.setdefault("client_key", str(uuid.uuid4()))
        allowed = sources_for(user)
        if allowed:
            # Only the sources the role may report under (reporting.report_case checks them);
            # the usual one first, so a worker on patrol need not pick it every time.
            source = cast(forms.ChoiceField, self.fields["source"])
            source.choices = [(s.value, s.label) for s in allowed]
            self.initial.setdefault("source", allowed[0])
        if role == Role.RESIDENT:
            person = get_person(user)
            if person is not None:
                self.initial.setdefault("reporter_name", person.name)
                self.initial.setdefault("reporter_phone", person.phone)
        if role not in TRANSITIONS["fix_on_spot"].roles:
            for name in ("fixed_on_spot", "fix_note", "fix_photos"):
                del self.fields[name]

    @property
    def can_fix_on_spot(self) -> bool:
        return "fixed_on_spot" in self.fields

    def report_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs = {
            name: data[name]
            for name in (
                "source",
                "category",
                "urgency",
                "description",
                "longitude",
                "latitude",
                "grid",
                "address",
                "reporter_name",
                "reporter_phone",
                "photos",
                "client_key",
            )
        }
        if self.can_fix_on_spot and data.get("fixed_on_spot"):
            kwargs.update(
                fixed_on_spot=True, fix_note=data["fix_note"], fix_photos=data["fix_photos"]
            )
        return kwargs


# --- one form per action ---------------------------------------------------------------------


class ActionForm(forms.Form):
    """Base of the action forms: every action posts the version of the case the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    has_photos = False

    def __init__(self, *args: Any, case: Case, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user

    def action_kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class NoteForm(ActionForm):
    note = text_field(_("Note"), required=False, rows=2)


class RequiredNoteForm(ActionForm):
    note = text_field(_("Note"), required=True)


class ReasonForm(ActionForm):
    reason = text_field(_("Reason"), required=True)


class RegisterForm(ActionForm):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), required=False
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=[("", "---------"), *Urgency.choices]
    )
    grid = grid_field(label=_("Grid"))
    note = text_field(_("Note"), required=False, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_grid_choices(self, user=self.user)
        self.initial.setdefault("category", self.case.category_id)
        self.initial.setdefault("urgency", self.case.urgency)
        self.initial.setdefault("grid", self.case.grid_id)

    def action_kwargs(self) -> dict[str, Any]:
        kwargs = super().action_kwargs()
        kwargs["urgency"] = kwargs["urgency"] or None
        return kwargs


class SendDownForm(ActionForm):
    district = forms.ModelChoiceField(label=_("District"), queryset=Region.objects.none())
    grid = grid_field(label=_("Grid (when the case lies elsewhere than its grid says)"))
    note = text_field(_("Note"), required=False, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = district_choices(self.user)
        set_grid_choices(self, user=self.user)
        if self.case.grid is not None:
            self.initial.setdefault("district", self.case.grid.district())


class MarkDuplicateForm(ActionForm):
    original = forms.CharField(
        label=_("Tracking code of the original case"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    note = text_field(_("Note"), required=False, rows=2)

    def clean_original(self) -> Case:
        try:
            return get_case_by_code_for_user(self.user, self.cleaned_data["original"])
        except Http404 as exc:
            raise forms.ValidationError(_("No case with this tracking code.")) from exc


class PhotoNoteForm(ActionForm):
    has_photos = True
    note = text_field(_("What was done"), required=True)
    photos = PhotosField()


class AssignForm(ActionForm):
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.filter(is_active=True)
    )
    due_on = forms.DateField(
        label=_("Last day (leave empty for the standard time limit)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = text_field(_("Note"), required=False, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The units of the case's district (and the city's) that the assigner may use.
        units = scope_of(self.user).units().filter(is_active=True)
        if self.case.grid is not None:
            units = Scope.of_regions([self.case.grid]).units().filter(pk__in=units)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        self.initial.setdefault("unit", self.case.category.default_unit_id)


class RequestExtensionForm(ActionForm):
    days = forms.IntegerField(
        label=_("Extra working days"),
        min_value=1,
        max_value=MAX_EXTENSION_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reason = text_field(_("Reason"), required=True)


class DecideExtensionForm(ActionForm):
    grant = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Grant")), ("no", _("Refuse"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    days = forms.IntegerField(
        label=_("Working days granted (empty: as requested)"),
        required=False,
        min_value=1,
        max_value=MAX_EXTENSION_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = text_field(_("Note (required when refusing)"), required=False, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("days", self.case.extension_days_requested)


class VerifyPassForm(ActionForm):
    has_photos = True
    note = text_field(_("Note"), required=False, rows=2)
    photos = PhotosField(label=_("Photos of the check"))


class VerifyFailForm(ActionForm):
    has_photos = True
    reason = text_field(_("What is still wrong"), required=True)
    photos = PhotosField(label=_("Photos of the check"))


class ReplyForm(ActionForm):
    text = text_field(_("Reply to the reporter"), required=True, rows=4)


class RateForm(ActionForm):
    score = forms.TypedChoiceField(
        label=_("Satisfaction"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("5 · very satisfied")),
            (4, "4"),
            (3, "3"),
            (2, "2"),
            (1, _("1 · very dissatisfied")),
        ],
    )
    note = text_field(_("Note"), required=False, rows=2)


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "register": RegisterForm,
    "send_down": SendDownForm,
    "reject": ReasonForm,
    "mark_duplicate": MarkDuplicateForm,
    "fix_on_spot": PhotoNoteForm,
    "assign": AssignForm,
    "accept": NoteForm,
    "return_case": ReasonForm,
    "request_extension": RequestExtensionForm,
    "decide_extension": DecideExtensionForm,
    "submit": PhotoNoteForm,
    "verify_pass": VerifyPassForm,
    "verify_fail": VerifyFailForm,
    "reply": ReplyForm,
    "rate": RateForm,
    "urge": RequiredNoteForm,
    "comment": RequiredNoteForm,
}
assert set(ACTION_FORMS) == set(TRANSITIONS), "every transition has a form"


def action_form(
    name: str, case: Case, user: AnyUser, data: Any = None, files: Any = None
) -> ActionForm:
    """The form of one action; ids are prefixed by the action, the posted names are not."""
    return ACTION_FORMS[name](
        data,
        files,
        case=case,
        user=user,
        auto_id=f"id_{name}_%s",
        initial={"version": case.version},
    )
