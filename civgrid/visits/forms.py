from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civgrid.cases.models import Category, Urgency
from civgrid.visits.models import VisitPlan

MAX_WORKBOOK_BYTES = 10 * 1024 * 1024


class HouseholdImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_WORKBOOK_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


class VisitForm(forms.Form):
    """Log a visit (走访登记), optionally raising a problem found there."""

    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    visited_at = forms.DateTimeField(
        label=_("Visited at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    notes = forms.CharField(
        label=_("What was talked about"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    raise_problem = forms.BooleanField(label=_("A problem was raised"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), required=False
    )
    description = forms.CharField(
        label=_("The problem"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    fixed_on_spot = forms.BooleanField(label=_("Solved on the spot"), required=False)
    fix_note = forms.CharField(label=_("What was done"), required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("client_key", str(uuid.uuid4()))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("raise_problem"):
            if not data.get("category"):
                self.add_error("category", _("Choose the category of the problem."))
            if not (data.get("description") or "").strip():
                self.add_error("description", _("Describe the problem."))
            if data.get("fixed_on_spot") and not (data.get("fix_note") or "").strip():
                self.add_error("fix_note", _("Say what was done on the spot."))
        return data


class CoverageForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=VisitPlan.objects.filter(is_active=True), required=False
    )
    on = forms.DateField(
        label=_("On"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def day(self) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("on"):
            return self.cleaned_data["on"]  # type: ignore[no-any-return]
        return timezone.localdate()
