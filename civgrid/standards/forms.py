from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civgrid.standards.models import Framework
from civgrid.territory.models import Region

MAX_WORKBOOK_BYTES = 10 * 1024 * 1024


class EditionFields(forms.Form):
    code = forms.CharField(
        label=_("Edition code"),
        max_length=32,
        help_text=_("Unique, e.g. 2026. An import always creates a new edition."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    edition = forms.CharField(label=_("Edition"), max_length=100, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    make_current = forms.BooleanField(
        label=_("Make it the current edition (inspections use it by default)"), required=False
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if Framework.objects.filter(code=code).exists():
            raise ValidationError(
                _("An edition with the code %(code)s already exists: choose another code."),
                params={"code": code},
            )
        return code


class FrameworkImportForm(EditionFields):
    file = forms.FileField(label=_("Excel sheet (.xlsx)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_WORKBOOK_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


class ConfirmImportForm(EditionFields):
    """The second step: the checked file is kept on the server under `token`."""

    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)


class MapFilterForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=_("Edition"),
        queryset=Framework.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=None,
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Framework.objects.none(), required=False
    )
    region = forms.ModelChoiceField(
        label=_("Street / area (片区)"), queryset=Region.objects.none(), required=False
    )
    gaps = forms.BooleanField(label=_("Only standards with a gap"), required=False)

    def __init__(self, *args: Any, units: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["region"].label_from_instance = lambda r: (  # type: ignore[attr-defined]
            f"{r.name} ({r.get_level_display()})"
        )


class TreeFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Framework.objects.none(), required=False
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
