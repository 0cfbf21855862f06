from django.contrib import admin

from civgrid.notices.models import (
    ConsoleEntry,
    Delivery,
    InboxEntry,
    Notice,
    NoticeRule,
    Preference,
    PushSubscription,
    UnitWebhook,
)


@admin.register(NoticeRule)
class NoticeRuleAdmin(admin.ModelAdmin):
    list_display = ["event", "recipient", "channels", "after_workdays", "urgent", "enabled"]
    list_filter = ["event", "enabled"]
    list_editable = ["after_workdays", "urgent", "enabled"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ("channel", "status", "attempts", "due_at", "sent_at", "last_error")
    readonly_fields = ("channel", "status", "attempts", "due_at", "sent_at", "last_error")
    can_delete = False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["key", "event", "case", "user", "unit", "created_at"]
    list_filter = ["event"]
    search_fields = ["key"]
    raw_id_fields = ["case", "user"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notice", "channel", "status", "attempts", "due_at", "sent_at", "last_error"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["notice", "batched_into"]


@admin.register(UnitWebhook)
class UnitWebhookAdmin(admin.ModelAdmin):
    list_display = ["unit", "kind"]
    list_filter = ["kind"]


admin.site.register(Preference)
admin.site.register(PushSubscription)
admin.site.register(InboxEntry)
admin.site.register(ConsoleEntry)
