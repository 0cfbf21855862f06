from django.contrib import admin

from civgrid.org.models import Person, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "unit", "phone", "user"]
    list_filter = ["role", "unit"]
    search_fields = ["name", "phone", "user__username"]
    autocomplete_fields = ["user", "unit", "regions", "sites"]
