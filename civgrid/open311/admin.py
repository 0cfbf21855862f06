"""Admin for Open311: jurisdictions, and API keys issued here (the key is shown once)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from civgrid.open311.actions import set_new_key
from civgrid.open311.models import ApiKey, Jurisdiction


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction_id", "name", "is_active"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "key_prefix", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    fields = ["name", "is_active", "key_prefix", "created_at", "last_used_at"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        raw = None if change else set_new_key(obj)
        super().save_model(request, obj, form, change)
        if raw is not None:
            messages.warning(
                request,
                _("The API key for %(name)s is %(key)s — copy it now: it is not shown again.")
                % {"name": obj.name, "key": raw},
            )
