from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civgrid.org.models import Person, Role
from civgrid.org.scope import Scope
from civgrid.safety.models import ChecklistItem
from civgrid.territory.models import Region

MAX_WORKBOOK_BYTES = 10 * 1024 * 1024


class ChecklistImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))
    code = forms.CharField(label=_("Edition code"), max_length=32)
    name = forms.CharField(label=_("Edition name"), max_length=200)
    make_current = forms.BooleanField(label=_("Use it from now on"), required=False)
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_WORKBOOK_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["region"])
        field.queryset = (
            scope.regions()
            .filter(level__in=[Region.Level.DISTRICT, Region.Level.STREET])
            .order_by("code")
        )


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=50)
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=Person.objects.none())

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["members"])
        people = Person.objects.filter(
            role__in=[Role.GRID_WORKER, Role.INSPECTOR, Role.OFFICE, Role.UNIT_CLERK]
        )
        if not scope.is_everything:
            people = people.filter(
                Q(regions__in=scope.regions()) | Q(unit__in=scope.units())
            ).distinct()
        field.queryset = people.order_by("role", "name")


class DivideForm(forms.Form):
    by = forms.ChoiceField(
        label=_("Divide by"),
        choices=[("grid", _("grid")), ("kind", _("kind")), ("risk", _("risk first"))],
    )


RESULT_CHOICES = [
    ("pass", _("Pass")),
    ("fail", _("Hidden danger")),
    ("fixed", _("Fixed on the spot")),
]


class CheckForm(forms.Form):
    """The check of one venue on the phone: one answer per item of its checklist."""

    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, items: list[ChecklistItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=item.text, choices=RESULT_CHOICES, widget=forms.RadioSelect, initial="pass"
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("What was found"), max_length=500, required=False
            )
        if not self.is_bound:
            self.initial["client_key"] = uuid.uuid4().hex

    def rows(self) -> list[tuple[ChecklistItem, Any, Any]]:
        return [(i, self[f"result_{i.pk}"], self[f"note_{i.pk}"]) for i in self.items]


class InterviewForm(forms.Form):
    """A warning interview (约谈) and its signed record."""

    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(label=_("Attendees"), max_length=255)
    findings = forms.CharField(label=_("What was found"), widget=forms.Textarea(attrs={"rows": 3}))
    commitments = forms.CharField(
        label=_("Commitments and their dates"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. 3月15日前拆除安全出口铁栅栏."),
    )
    follow_up_on = forms.DateField(
        label=_("Follow-up check on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    record = forms.FileField(label=_("Signed record (PDF or photo)"))
