"""Admin for the ledger's reference data. Cases themselves are read-only here: every change
to a case goes through its workflow actions, which write the events."""

from django.contrib import admin

from civgrid.cases.models import Case, CaseEvent, Category, DeadlineRule


class DeadlineRuleInline(admin.TabularInline):
    model = DeadlineRule
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "working_days", "default_unit", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    inlines = [DeadlineRuleInline]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "actor_name", "from_status", "to_status", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "status", "category", "grid", "unit", "due_at", "created_at"]
    list_filter = ["status", "source", "category"]
    search_fields = ["tracking_code", "description"]
    inlines = [CaseEventInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
