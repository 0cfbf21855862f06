from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civgrid.enterprises.actions import MAX_DOCUMENT_BYTES
from civgrid.enterprises.models import DocumentKind, Enterprise, Kind
from civgrid.org.scope import Scope
from civgrid.territory.models import Region

MAX_WORKBOOK_BYTES = 10 * 1024 * 1024


class EnterpriseImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_WORKBOOK_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


class EnterpriseForm(forms.Form):
    """Open or correct a file (建档/修改). The values go through the import's row check
    (civgrid.enterprises.imports.check_row), so a form and a sheet accept the same things."""

    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=30, required=False
    )
    address = forms.CharField(label=_("Address"), max_length=255)
    grid_code = forms.ChoiceField(label=_("Grid"), required=False)
    longitude = forms.CharField(label=_("Longitude"), max_length=20, required=False)
    latitude = forms.CharField(label=_("Latitude"), max_length=20, required=False)
    regulator = forms.ChoiceField(label=_("Regulating unit"), required=False)
    legal_person = forms.CharField(label=_("Legal representative"), max_length=50, required=False)
    legal_phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    safety_person = forms.CharField(label=_("Safety officer"), max_length=50, required=False)
    safety_phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    staff = forms.CharField(label=_("Staff"), max_length=10, required=False)
    floor_area = forms.CharField(label=_("Floor area (m²)"), max_length=12, required=False)
    seats = forms.CharField(label=_("Seats"), max_length=10, required=False)
    beds = forms.CharField(label=_("Beds"), max_length=10, required=False)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grids = scope.regions().filter(level=Region.Level.GRID).order_by("code")
        grid_field = cast(forms.ChoiceField, self.fields["grid_code"])
        unit_field = cast(forms.ChoiceField, self.fields["regulator"])
        grid_field.choices = [("", "—")] + [(g.code, f"{g.name} ({g.code})") for g in grids]
        unit_field.choices = [("", "—")] + [
            (u.code, u.name) for u in scope.units().filter(is_active=True).order_by("code")
        ]

    @staticmethod
    def initial_for(enterprise: Enterprise) -> dict[str, Any]:
        def text(value: Any) -> str:
            return "" if value is None else str(value)

        return {
            "name": enterprise.name,
            "kind": enterprise.kind,
            "credit_code": enterprise.credit_code,
            "address": enterprise.address,
            "grid_code": enterprise.grid.code,
            "longitude": text(enterprise.longitude),
            "latitude": text(enterprise.latitude),
            "regulator": enterprise.regulator.code if enterprise.regulator else "",
            "legal_person": enterprise.legal_person,
            "legal_phone": enterprise.legal_phone,
            "safety_person": enterprise.safety_person,
            "safety_phone": enterprise.safety_phone,
            "staff": text(enterprise.staff),
            "floor_area": text(enterprise.floor_area),
            "seats": text(enterprise.seats),
            "beds": text(enterprise.beds),
        }

    def row_values(self) -> dict[str, str]:
        """The cleaned form as the text columns of an import row."""
        return {name: str(value or "").strip() for name, value in self.cleaned_data.items()}


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    number = forms.CharField(label=_("Number"), max_length=64, required=False)
    issued_on = forms.DateField(
        label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty if it does not expire."),
    )
    file = forms.FileField(label=_("File (PDF or photo)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload
