"""Back office: see assignments and why requests stay unmatched; assign or block by hand."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from entraide.platform.admin_site import ZoneScopedAdmin

from . import services
from .models import Assignment, BlockedPair, UnmatchedNote
from .permissions import can_assign


@admin.register(Assignment)
class AssignmentAdmin(ZoneScopedAdmin):
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
                self.message_user(
                    request,
                    f"{assignment}: {' '.join(getattr(exc, 'messages', [str(exc)]))}",
                    messages.ERROR,
                )
        if released:
            self.message_user(request, _("%(count)d released.") % {"count": released})

    def get_readonly_fields(self, request, obj=None):
        return ["help_request", "volunteer"] if obj else []

    def get_form(self, request, obj=None, **kwargs):
        """The add form refuses, next to its fields, what the service would refuse."""
        base = super().get_form(request, obj, **kwargs)
        user = request.user

        class AssignByHandForm(base):
            def clean(self):
                cleaned = super().clean()
                help_request, volunteer = cleaned.get("help_request"), cleaned.get("volunteer")
                if help_request and volunteer and not can_assign(user, help_request, volunteer):
                    raise ValidationError(
                        _("Only a coordinator of this zone can assign by hand."),
                        code="not_your_zone",
                    )
                return cleaned

        return AssignByHandForm

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """Adding an assignment here is "assign by hand": it goes through the service."""
        try:
            created = services.assignment_assign_manually(
                help_request=obj.help_request, volunteer=obj.volunteer, coordinator=request.user
            )
            obj.pk = created.pk
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(
                request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR
            )


@admin.register(BlockedPair)
class BlockedPairAdmin(admin.ModelAdmin):
    list_display = ["help_request", "volunteer", "reason", "created_by", "created_at"]
    autocomplete_fields = ["help_request", "volunteer"]
    fields = ["help_request", "volunteer", "reason"]

    def save_model(self, request, obj, form, change):
        try:
            block = services.pair_block(
                help_request=obj.help_request,
                volunteer=obj.volunteer,
                coordinator=request.user,
                reason=obj.reason,
            )
            obj.pk = block.pk
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)


@admin.register(UnmatchedNote)
class UnmatchedNoteAdmin(admin.ModelAdmin):
    list_display = ["help_request", "reason", "computed_at"]
    list_filter = ["reason"]
    search_fields = ["help_request__reference"]

    def has_add_permission(self, request):
        return False
