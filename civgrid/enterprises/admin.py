from django.contrib import admin

from civgrid.enterprises.models import SizeThreshold


@admin.register(SizeThreshold)
class SizeThresholdAdmin(admin.ModelAdmin):
    """The city's 九小 size limits, kept by the campaign office here (九小场所标准)."""

    list_display = ["kind", "max_floor_area", "max_seats", "max_beds", "max_staff"]
