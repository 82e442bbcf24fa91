"""Back office for the directory: coordinators find and inspect. Proposals, edits,
moderation moves, declarations and subscriptions go through the directory pages and
services (so validation, versions, history and duplicate detection are kept); the one
change made here, unsubscribing, calls ``subscription_cancel``."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    Bulletin,
    DuplicateCandidate,
    Measure,
    MeasureStateChange,
    MeasureTheme,
    MeasureVersion,
    OngoingAction,
    Practice,
    Subscription,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ThemeInline(ReadOnlyInline):
    model = MeasureTheme


class VersionInline(ReadOnlyInline):
    model = MeasureVersion
    fields = ["number", "state", "author", "note", "created_at"]
    readonly_fields = fields


class StateChangeInline(ReadOnlyInline):
    model = MeasureStateChange
    fields = ["created_at", "from_state", "to_state", "actor", "reason"]
    readonly_fields = fields


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "state", "deadline", "organisation", "version", "updated_at"]
    list_filter = ["state", "level", "territory", "themes__theme"]
    search_fields = ["title", "summary", "eligibility"]
    date_hierarchy = "updated_at"
    inlines = [ThemeInline, VersionInline, StateChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Practice)
class PracticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "city", "country", "theme", "state", "source_document"]
    list_filter = ["state", "theme", "country"]
    search_fields = ["title", "city", "description", "lessons"]


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["week", "territory", "status", "created_at", "published_at", "published_by"]
    list_filter = ["status", "territory"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["email", "territory", "language", "active", "created_at"]
    list_filter = ["active", "language", "territory"]
    search_fields = ["email"]
    actions = ["unsubscribe"]

    def has_unsubscribe_permission(self, request):
        """Editing is off here; unsubscribing is for those allowed to change subscriptions."""
        return admin.ModelAdmin.has_change_permission(self, request)

    @admin.action(description=_("Unsubscribe from the bulletin"), permissions=["unsubscribe"])
    def unsubscribe(self, request, queryset):
        for subscription in queryset:
            services.subscription_cancel(subscription=subscription)
        self.message_user(request, _("%(count)d unsubscribed.") % {"count": len(queryset)})


@admin.register(OngoingAction)
class OngoingActionAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "theme", "start_date", "end_date"]
    list_filter = ["theme", "organisation"]
    search_fields = ["title", "description", "audience"]


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(admin.ModelAdmin):
    list_display = ["first", "second", "decision", "decided_by"]
    list_filter = ["decision"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
