"""Back office: see assignments and why requests stay unmatched; assign, release or block
by hand — each through the matching service, its refusal shown on the form."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from entraide.platform.admin_site import ThroughServicesAdmin, ZoneScopedAdmin, refusal_text

from . import services
from .models import Assignment, BlockedPair, UnmatchedNote


@admin.register(Assignment)
class AssignmentAdmin(ZoneScopedAdmin, ThroughServicesAdmin):
    zone_lookup = "help_request__zone"

    list_display = [
        "help_request",
        "volunteer",
        "organisation_offer",
        "status",
        "source",
        "distance_km",
        "proposed_at",
        "respond_by",
    ]
    list_filter = ["status", "source", "help_request__zone"]
    search_fields = ["help_request__reference", "volunteer__first_name"]
    list_select_related = ["help_request", "volunteer", "organisation_offer__organisation"]
    autocomplete_fields = ["help_request", "volunteer"]
    fields = ["help_request", "volunteer"]
    actions = ["release"]

    @admin.action(description=_("Release (back to matching)"))
    def release(self, request, queryset):
        """Hand the chosen assignments back to matching, through the service."""
        released = 0
        for assignment in queryset:
            try:
                services.assignment_release(
                    assignment=assignment, coordinator=request.user, reason="released by hand"
                )
                released += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{assignment}: {refusal_text(exc)}", messages.ERROR)
        if released:
            self.message_user(request, _("%(count)d released.") % {"count": released})

    def get_readonly_fields(self, request, obj=None):
        return ["help_request", "volunteer"] if obj else []

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def apply(self, request, obj, form):
        """Adding an assignment here is "assign by hand": the service checks the zones
        (``can_assign``) and the vetting, and marks it manual so the batch keeps it."""
        return services.assignment_assign_manually(
            help_request=form.cleaned_data["help_request"],
            volunteer=form.cleaned_data["volunteer"],
            coordinator=request.user,
        )


@admin.register(BlockedPair)
class BlockedPairAdmin(ZoneScopedAdmin, ThroughServicesAdmin):
    """Blocking goes through ``pair_block`` (zone checked, open proposal withdrawn)."""

    zone_lookup = "help_request__zone"
    list_display = ["help_request", "volunteer", "reason", "created_by", "created_at"]
    autocomplete_fields = ["help_request", "volunteer"]
    fields = ["help_request", "volunteer", "reason"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def apply(self, request, obj, form):
        return services.pair_block(
            help_request=form.cleaned_data["help_request"],
            volunteer=form.cleaned_data["volunteer"],
            coordinator=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )


@admin.register(UnmatchedNote)
class UnmatchedNoteAdmin(ZoneScopedAdmin):
    """Written by the batch: read here, never edited."""

    zone_lookup = "help_request__zone"
    list_display = ["help_request", "reason", "computed_at"]
    list_filter = ["reason"]
    search_fields = ["help_request__reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
