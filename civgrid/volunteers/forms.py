from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from civgrid.territory.models import Region
from civgrid.volunteers.models import PoliticalStatus, ServiceCategory, Team

MAX_WORKBOOK_BYTES = 10 * 1024 * 1024
LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class VolunteerImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_WORKBOOK_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


class ActivityForm(forms.Form):
    """Publish an activity (发布志愿服务活动)."""

    title = forms.CharField(label=_("Title"), max_length=100)
    category = forms.ModelChoiceField(label=_("Category"), queryset=ServiceCategory.objects.all())
    region = forms.ModelChoiceField(label=_("Grid or community"), queryset=Region.objects.none())
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    place = forms.CharField(label=_("Place"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=LOCAL)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=LOCAL)
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10_000)
    max_hours = forms.DecimalField(
        label=_("Hours cap"),
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=_("Leave empty for the activity's length."),
    )
    longitude = forms.FloatField(label=_("Longitude"), required=False)
    latitude = forms.FloatField(label=_("Latitude"), required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, regions: QuerySet[Region], teams: QuerySet[Team], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class ConfirmForm(forms.Form):
    """The organiser's confirmation, with the times corrected if needed."""

    checked_in_at = forms.DateTimeField(label=_("Checked in at"), required=False, widget=LOCAL)
    checked_out_at = forms.DateTimeField(label=_("Checked out at"), required=False, widget=LOCAL)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class JoinForm(forms.Form):
    """Self-registration from the public page (the posters' QR code)."""

    name = forms.CharField(label=_("Real name"), max_length=50)
    phone = forms.CharField(label=_("Mobile phone"), max_length=15, help_text=_("Also your login."))
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    region = forms.ModelChoiceField(label=_("Community or grid"), queryset=Region.objects.none())
    political_status = forms.ChoiceField(
        label=_("Political status"), choices=PoliticalStatus.choices, initial=PoliticalStatus.MASSES
    )
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    availability = forms.CharField(label=_("Availability"), max_length=100, required=False)
    password = forms.CharField(
        label=_("Password"), min_length=8, max_length=128, widget=forms.PasswordInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            level__gte=Region.Level.STREET
        ).order_by("code")
