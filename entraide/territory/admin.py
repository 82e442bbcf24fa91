from django.contrib import admin
from django.db.models import Count

from .models import Postcode, Territory, Zone


class PostcodeInline(admin.TabularInline):
    model = Postcode
    extra = 0
    fields = ["code"]


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country_code", "zone_count"]
    search_fields = ["name", "slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(zone_total=Count("zones"))

    @admin.display(description="zones", ordering="zone_total")
    def zone_count(self, territory: Territory) -> int:
        return territory.zone_total


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "territory", "centroid_lat", "centroid_lon"]
    list_filter = ["territory"]
    search_fields = ["code", "name", "postcodes__code", "source_reference"]
    inlines = [PostcodeInline]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["code", "zone", "territory"]
    list_filter = ["territory"]
    search_fields = ["code", "zone__name"]
    list_select_related = ["zone", "territory"]
