from django.contrib import admin

from civgrid.standards.models import (
    ChecklistQuestion,
    Content,
    Framework,
    Item,
    Standard,
    StandardCoUnit,
)


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "edition", "is_current", "imported_at", "imported_by")
    list_filter = ("is_current",)
    search_fields = ("code", "name")
    readonly_fields = ("imported_at", "imported_by", "is_current")


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "framework", "order")
    list_filter = ("framework",)
    search_fields = ("code", "name")


@admin.register(Content)
class ContentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "item", "order")
    list_filter = ("item__framework",)
    search_fields = ("code", "name")


class CoUnitInline(admin.TabularInline):
    model = StandardCoUnit
    extra = 0
    autocomplete_fields = ("unit",)


class QuestionInline(admin.TabularInline):
    model = ChecklistQuestion
    extra = 0


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ("code", "text", "points", "lead_unit", "category", "framework")
    list_filter = ("framework", "lead_unit")
    search_fields = ("code", "text")
    list_select_related = ("lead_unit", "category", "framework")
    inlines = (CoUnitInline, QuestionInline)
    raw_id_fields = ("content",)
