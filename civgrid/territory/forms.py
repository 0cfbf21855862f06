from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_GEOJSON_BYTES = 20 * 1024 * 1024


class RegionImportForm(forms.Form):
    file = forms.FileField(label=_("GeoJSON file"))
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > MAX_GEOJSON_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload
