"""Forms of the work-log pages: they parse; the rules live in civgrid.worklogs.actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civgrid.org.models import Unit
from civgrid.org.queries import AnyUser
from civgrid.reports.periods import Period, PeriodError
from civgrid.worklogs.actions import MAX_TEXT
from civgrid.worklogs.models import ActivityKind
from civgrid.worklogs.queries import units_for_entry


def _count(label: Any) -> forms.IntegerField:
    # No min_value here: the action refuses a negative figure with its own message, so the
    # page and the API say the same thing.
    return forms.IntegerField(label=label, required=False, initial=0)


class FiguresForm(forms.Form):
    person_times = _count(_("Person-times (人次)"))
    machine_times = _count(_("Machine-times (台次)"))
    volume_removed = forms.DecimalField(
        label=_("Volume removed (m³)"), required=False, initial=0, max_digits=14
    )
    items_installed = _count(_("Items installed (块/个)"))
    activities_held = _count(_("Activities held (场次)"))
    description = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def figures(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in (
                "person_times",
                "machine_times",
                "volume_removed",
                "items_installed",
                "activities_held",
            )
        }


class WorkLogForm(FiguresForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    worked_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Activity kind"), choices=ActivityKind.choices)

    field_order = [
        "unit",
        "worked_on",
        "kind",
        "person_times",
        "machine_times",
        "volume_removed",
        "items_installed",
        "activities_held",
        "description",
    ]

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = units_for_entry(user)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        if units.count() == 1:
            field.initial = units.first()
        self.fields["worked_on"].initial = timezone.localdate()


class CorrectionForm(FiguresForm):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)


def period_from(params: Any) -> tuple[Period, str]:
    """The period named by ?period= (2024-03, 2024-Q1, 2024-03-01..2024-03-15), else this
    month; with the error message when the text could not be read."""
    text = (params.get("period") or "").strip()
    if text:
        try:
            return Period.parse(text), ""
        except PeriodError as exc:
            return Period.current("month"), str(exc)
    return Period.current("month"), ""
