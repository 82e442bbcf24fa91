"""Back office: coordinators vet volunteers (with a reason kept) and manage organisations."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from entraide.platform.admin_site import ZoneScopedAdmin

from . import services
from .models import (
    VETTING_TRANSITIONS,
    Organisation,
    OrganisationMembership,
    OrganisationOffer,
    VettingEvent,
    VettingStatus,
    Volunteer,
)


class VettingHistoryInline(admin.TabularInline):
    model = VettingEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "reason", "by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class VolunteerAdminForm(forms.ModelForm):
    new_vetting_status = forms.ChoiceField(label=_("Vetting decision"), required=False)
    vetting_reason = forms.CharField(label=_("Why"), required=False, max_length=255)

    class Meta:
        model = Volunteer
        fields = [
            "first_name",
            "zone",
            "radius_km",
            "categories",
            "languages",
            "availability",
            "max_open_assignments",
            "max_per_week",
            "has_car",
            "extra_check_passed",
            "paused",
            "preferred_language",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.vetting_status if self.instance.pk else VettingStatus.PENDING
        self.fields["new_vetting_status"].choices = [("", _("— no change —"))] + [
            (value, VettingStatus(value).label) for value in sorted(VETTING_TRANSITIONS[current])
        ]


@admin.register(Volunteer)
class VolunteerAdmin(ZoneScopedAdmin):
    form = VolunteerAdminForm
    list_display = [
        "first_name",
        "zone",
        "vetting_status",
        "paused",
        "extra_check_passed",
        "max_open_assignments",
        "created_at",
    ]
    list_filter = ["vetting_status", "paused", "extra_check_passed", "has_car", "zone"]
    search_fields = ["first_name", "user__email", "code_word"]
    list_select_related = ["zone"]
    readonly_fields = ["vetting_status", "code_word", "email_verified", "phone_verified"]
    inlines = [VettingHistoryInline]
    actions = ["verify"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Verify the selected volunteers"))
    def verify(self, request, queryset):
        done = 0
        for volunteer in queryset:
            try:
                services.volunteer_vet(
                    volunteer=volunteer,
                    to_status=VettingStatus.VERIFIED,
                    by=request.user,
                    reason="bulk verification",
                )
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request,
                    f"{volunteer}: {' '.join(getattr(exc, 'messages', [str(exc)]))}",
                    messages.WARNING,
                )
        self.message_user(request, _("%(count)d verified.") % {"count": done})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        target = form.cleaned_data.get("new_vetting_status")
        if target:
            try:
                services.volunteer_vet(
                    volunteer=obj,
                    to_status=target,
                    by=request.user,
                    reason=form.cleaned_data.get("vetting_reason", ""),
                )
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR
                )


class MembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "verified"]
    list_filter = ["kind", "verified", "zones"]
    search_fields = ["name", "description"]
    filter_horizontal = ["zones"]
    inlines = [MembershipInline]


@admin.register(OrganisationOffer)
class OrganisationOfferAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "capacity_per_week", "radius_km", "active"]
    list_filter = ["active", "organisation", "zones"]
    search_fields = ["title", "organisation__name"]
    filter_horizontal = ["zones"]
