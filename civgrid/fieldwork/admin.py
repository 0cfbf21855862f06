from django.contrib import admin

from civgrid.fieldwork.models import Patrol


@admin.register(Patrol)
class PatrolAdmin(admin.ModelAdmin):
    """Read-only: patrols are what the phones recorded."""

    list_display = ["worker_name", "started_at", "ended_at", "distance_m", "point_count"]
    date_hierarchy = "started_at"
    search_fields = ["worker_name"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
