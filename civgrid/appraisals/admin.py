from django.contrib import admin

from civgrid.appraisals.models import Scheme, SchemeEvent


class ReadOnlyEvents(admin.TabularInline):
    model = SchemeEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "by_name", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    """Schemes are kept through the workbook (import/export) and their pages; the admin
    shows them and their history."""

    list_display = ("code", "version", "name", "subject_kind", "rule", "status", "region")
    list_filter = ("status", "subject_kind", "rule")
    readonly_fields = ("created_at", "created_by", "published_at", "status")
    inlines = [ReadOnlyEvents]
