"""Forms of the public pages: the report, the tracking-code look-up, the rating.

They only parse; the rules are civgrid.cases' (report_public_case, rate_public), whose errors
the views attach to the field they name.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civgrid.cases.actions import MAX_TEXT
from civgrid.cases.forms import PhotosField, grid_field, set_grid_choices
from civgrid.cases.models import Category
from civgrid.territory.models import Site
from civgrid.territory.queries import place_disagrees


class PublicReportForm(forms.Form):
    """反映问题: what, where, optionally who (the phone is never shown publicly)."""

    category = forms.ModelChoiceField(
        label=_("What kind of problem?"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("Choose…"),
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = PhotosField(label=_("Photos (optional)"))
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
    # Set from the QR code of a site (点位); not a choice the resident makes.
    site = forms.ModelChoiceField(
        queryset=Site.objects.all(),
        required=False,
        to_field_name="code",
        widget=forms.HiddenInput,
    )
    address = forms.CharField(label=_("Address or landmark"), required=False, max_length=255)
    reporter_name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=50)
    reporter_phone = forms.CharField(
        label=_("Your phone (optional)"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Only the campaign office and the unit handling it see it, to call you back."),
    )
    # A field people do not see (hidden by CSS, skipped by screen readers): bots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))
    # Drawn with the page: a form sent twice returns the case already made.
    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_grid_choices(self, empty_label=_("I don't know / use the map"))
        self.initial.setdefault("client_key", str(uuid.uuid4()))

    def clean(self) -> dict[str, Any]:
        """A grid (or a QR code's site) and a map point given together must agree: what is
        published is the point, what is handled is the grid."""
        data = super().clean() or {}
        where = (data.get("grid"), data.get("site"), data.get("longitude"), data.get("latitude"))
        if place_disagrees(*where):
            self.add_error(
                "grid",
                _(
                    "The point on the map lies outside this grid: move the point or change the grid."
                ),
            )
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def report_kwargs(self) -> dict[str, Any]:
        names = (
            "category",
            "description",
            "longitude",
            "latitude",
            "grid",
            "site",
            "address",
            "reporter_name",
            "reporter_phone",
            "photos",
            "client_key",
        )
        return {name: self.cleaned_data[name] for name in names}


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        coerce=int,
        choices=[
            (5, _("5 · Very satisfied")),
            (4, _("4 · Satisfied")),
            (3, _("3 · So-so")),
            (2, _("2 · Not satisfied")),
            (1, _("1 · Very dissatisfied")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
