from django.contrib import admin

from civgrid.visits.models import Household, VisitPlan


@admin.register(VisitPlan)
class VisitPlanAdmin(admin.ModelAdmin):
    """Visit plans are set up by the campaign office here (走访计划)."""

    list_display = ["name", "frequency", "aged_80_plus", "living_alone", "low_income", "disabled"]
    list_filter = ["frequency", "is_active"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["code", "address", "grid", "residents_count", "is_active"]
    list_filter = ["aged_80_plus", "living_alone", "low_income", "disabled", "is_active"]
    search_fields = ["code", "address", "head_name"]
    raw_id_fields = ["grid"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        from django.utils import timezone

        now = timezone.now()
        if not change:
            obj.created_at = now
        obj.updated_at = now
        super().save_model(request, obj, form, change)
