"""Admin: public reports are read-only (they change only through civgrid.public.actions)."""

from django.contrib import admin

from civgrid.public.models import PublicReport


@admin.register(PublicReport)
class PublicReportAdmin(admin.ModelAdmin):
    list_display = ["case", "channel", "client_name", "promised_answer_by", "created_at"]
    list_filter = ["channel"]
    search_fields = ["case__tracking_code"]
    readonly_fields = [
        "case",
        "channel",
        "client_name",
        "promised_answer_by",
        "ip_hash",
        "created_at",
    ]
    exclude = ["token_hash"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
