"""Partners are configured in the back office; people and reports have their own audited
pages (care/people/, care/escalations/), so they are not listed here."""

from django.contrib import admin

from .models import Partner, PartnerContact


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 1


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "territory", "always_open", "active"]
    list_filter = ["territory", "active", "always_open"]
    filter_horizontal = ["zones", "members"]
    inlines = [PartnerContactInline]
