from django.contrib import admin

from civgrid.volunteers.models import ServiceCategory, Team


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "order")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "category", "region", "leader", "is_active")
    list_filter = ("category", "is_active")
    raw_id_fields = ("region", "leader")
