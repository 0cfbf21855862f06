from django.contrib import admin

from civgrid.safety.models import Checklist, ChecklistItem


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["order", "code", "section", "text", "kinds", "grade", "deadline_workdays"]


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    """Editions are imported from Excel; an item's wording or deadline is corrected here."""

    list_display = ["code", "name", "is_current", "imported_at"]
    readonly_fields = ["is_current", "imported_at", "imported_by", "source_name"]
    inlines = [ChecklistItemInline]
