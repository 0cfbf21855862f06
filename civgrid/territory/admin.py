from django.contrib import admin

from civgrid.territory.models import Region, Site


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "households", "residents"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "grid", "address"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "address"]
    autocomplete_fields = ["grid"]
