"""Programmes and their standards are reference data, set up by 民政 in the admin (项目与标准).

Beneficiaries are not in the admin on purpose: every change to them goes through
civgrid.assistance.actions (two-step, with events) and their numbers are masked by role.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from civgrid.assistance.models import Programme, Standard


class StandardInline(admin.TabularInline):
    """A standard is never edited (past runs are recomputed from it): a raise is a new row."""

    model = Standard
    extra = 1
    fields = ["valid_from", "min_age", "max_age", "amount"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "basis", "unit", "check_frequency", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    inlines = [StandardInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for standard in formset.save(commit=False):
            standard.created_at = timezone.now()
            standard.created_by = request.user
            standard.save()
        formset.save_m2m()
