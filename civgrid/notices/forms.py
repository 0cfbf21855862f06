from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civgrid.notices.models import ChannelCode


class RuleForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=ChannelCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    after_workdays = forms.IntegerField(label=_("After working days"), min_value=0, max_value=60)
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    enabled = forms.BooleanField(label=_("Enabled"), required=False)


class PreferenceForm(forms.Form):
    channels_off = forms.MultipleChoiceField(
        label=_("Channels turned off"),
        choices=[c for c in ChannelCode.choices if c[0] not in ("inbox", "console")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    quiet_from = forms.TimeField(label=_("Quiet hours from"))
    quiet_until = forms.TimeField(label=_("Quiet hours until"))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
