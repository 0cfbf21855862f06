"""Forms of the assistance pages: parsing only, the rules are in actions.py and runs.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civgrid.assistance.models import CheckVisit, EndReason, Programme


class ProposeForm(forms.Form):
    programme = forms.ModelChoiceField(Programme.objects.none(), label=_("programme"))
    household = forms.CharField(label=_("household code"), max_length=40)
    name = forms.CharField(label=_("full name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=24)
    persons = forms.IntegerField(label=_("persons covered"), min_value=1, max_value=20, initial=1)
    applied_on = forms.DateField(
        label=_("applied on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    starts_on = forms.DateField(
        label=_("paid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the month after the application."),
    )
    bank_name = forms.CharField(label=_("bank"), max_length=50, required=False)
    bank_account = forms.CharField(label=_("bank account"), max_length=40, required=False)
    note = forms.CharField(label=_("note"), max_length=500, required=False)

    def __init__(self, *args: Any, programmes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class EndForm(forms.Form):
    reason = forms.ChoiceField(label=_("end reason"), choices=EndReason.choices)
    ends_on = forms.DateField(label=_("ended on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("note or reason"), max_length=500, required=False)


class DraftForm(forms.Form):
    programme = forms.ModelChoiceField(Programme.objects.none(), label=_("programme"))
    month = forms.CharField(
        label=_("month"), widget=forms.DateInput(attrs={"type": "month"}), max_length=7
    )

    def __init__(self, *args: Any, programmes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]

    def clean_month(self) -> dt.date:
        text = self.cleaned_data["month"]
        try:
            return dt.datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007 (a month, no time)
        except ValueError as exc:
            raise forms.ValidationError(_("Give the month as 2026-03.")) from exc


class CheckForm(forms.Form):
    beneficiary = forms.IntegerField(widget=forms.HiddenInput)
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)
    outcome = forms.ChoiceField(label=_("outcome"), choices=CheckVisit.Outcome.choices)
    conditions = forms.CharField(
        label=_("living conditions"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    happened_on = forms.DateField(
        label=_("date of death or move"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)
