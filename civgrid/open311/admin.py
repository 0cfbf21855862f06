"""Admin for Open311: jurisdictions with what they publish, API keys issued here (the key is
shown once), and the office's moderation of residents' text."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from civgrid.open311.actions import moderate, set_new_key
from civgrid.open311.models import ApiKey, Jurisdiction, Moderation


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = [
        "jurisdiction_id",
        "name",
        "region",
        "is_active",
        "coordinate_decimals",
        "text_publication",
    ]


@admin.register(Moderation)
class ModerationAdmin(admin.ModelAdmin):
    """Pick a resident report (by case id), read its words, publish them or not."""

    list_display = ["case", "text_public", "moderated_by", "moderated_at"]
    list_filter = ["text_public"]
    raw_id_fields = ["case"]
    fields = ["case", "resident_text", "text_public", "moderated_by", "moderated_at"]
    readonly_fields = ["resident_text", "moderated_by", "moderated_at"]

    @admin.display(description=_("What the resident wrote"))
    def resident_text(self, obj: Moderation) -> str:
        if obj.case_id is None:
            return "—"
        return f"{obj.case.description} · {obj.case.address or '—'}"

    def save_model(self, request: HttpRequest, obj: Moderation, form: Any, change: bool) -> None:
        mark = moderate(obj.case, actor=request.user, text_public=obj.text_public)  # type: ignore[arg-type]
        obj.pk, obj.moderated_by, obj.moderated_at = mark.pk, mark.moderated_by, mark.moderated_at


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
