from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Area, Incident, IncidentEvent, IncidentStatus, Postcode, Territory, Zone
from .services import area_paths_rebuild


class PostcodeInline(admin.TabularInline):
    model = Postcode
    extra = 0
    fields = ["code"]


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country_code", "time_zone", "zone_count"]
    search_fields = ["name", "slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(zone_total=Count("zones"))

    @admin.display(description=_("zones"), ordering="zone_total")
    def zone_count(self, territory: Territory) -> int:
        return territory.zone_total


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    """The territory's levels. Saving keeps every area's path (and what is below) right."""

    list_display = ["name", "level", "code", "parent", "territory", "hotline_number"]
    list_filter = ["territory", "level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "depth"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        area_paths_rebuild(territory=obj.territory)

    def delete_model(self, request, obj):
        territory = obj.territory
        super().delete_model(request, obj)
        area_paths_rebuild(territory=territory)


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "area", "territory", "centroid_lat", "centroid_lon"]
    list_filter = ["territory", "area"]
    autocomplete_fields = ["area"]
    search_fields = ["code", "name", "postcodes__code", "source_reference"]
    inlines = [PostcodeInline]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["code", "zone", "territory"]
    list_filter = ["territory"]
    search_fields = ["code", "zone__name"]
    list_select_related = ["zone", "territory"]


class IncidentEventInline(admin.TabularInline):
    model = IncidentEvent
    extra = 0
    fields = ["created_at", "from_words", "to_status", "actor", "reason"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("from"))
    def from_words(self, event: IncidentEvent) -> str:
        """The status before, by its name (``to_status`` has choices, this one has not)."""
        if event.from_status in IncidentStatus.values:
            return IncidentStatus(event.from_status).label
        return event.from_status or "—"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    """Read-only: incidents are started and ended on the coordinators' crisis page
    (/coordination/incident/), which checks the role and writes history and audit."""

    list_display = ["name", "territory", "status", "starts_at", "ends_at"]
    list_filter = ["status", "territory"]
    inlines = [IncidentEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
