from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
