"""Back office: coordinators vet volunteers (with a reason kept, through the vetting
service) and manage organisations."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from entraide.needs import history
from entraide.needs.categories import category_choices
from entraide.platform.admin_site import ThroughServicesAdmin, ZoneScopedAdmin, refusal_text
from entraide.platform.audit import audit_context_from
from entraide.platform.roles import coordinated_zone_ids
from entraide.territory.models import Zone

from . import services
from .forms import VolunteerSignUpForm
from .locating import organisation_offer_address_changed
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
    """The vetting history in words: statuses by their labels, the platform's own reasons
    ("signed up") in the reader's language (``needs.history``)."""

    model = VettingEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_words", "to_status", "reason_words", "by"]
    readonly_fields = fields

    @admin.display(description=_("from"))
    def from_words(self, event) -> str:
        if event.from_status in VettingStatus.values:
            return VettingStatus(event.from_status).label
        return event.from_status or "—"

    @admin.display(description=_("reason"))
    def reason_words(self, event) -> str:
        return history.reason_text(event.reason)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VolunteerAdminForm(forms.ModelForm):
    """The profile's lists as check boxes with their labels, not as JSON codes."""

    categories = forms.MultipleChoiceField(
        label=_("Kinds of help"),
        choices=category_choices(include_sensitive=False),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = VolunteerSignUpForm.base_fields["languages"]
    availability = VolunteerSignUpForm.base_fields["availability"]
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
class VolunteerAdmin(ZoneScopedAdmin, ThroughServicesAdmin):
    """Vetting goes through ``volunteer_vet`` (zone checked, reason kept, proposals
    withdrawn on suspension) and pausing through ``volunteer_set_paused``; the profile's
    other fields are plain corrections, kept inside the coordinator's zones."""

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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "zone":
            zone_ids = coordinated_zone_ids(request.user)
            if zone_ids is not None:
                kwargs["queryset"] = Zone.objects.filter(pk__in=zone_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
                    audit=audit_context_from(request),
                )
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{volunteer}: {refusal_text(exc)}", messages.WARNING)
        self.message_user(request, _("%(count)d verified.") % {"count": done})

    def apply(self, request, obj, form):
        data = form.cleaned_data
        profile = [
            name
            for name in form.changed_data
            if name in VolunteerAdminForm.Meta.fields and name != "paused"
        ]
        if profile:
            obj.save(update_fields=profile)
        if "paused" in form.changed_data:
            services.volunteer_set_paused(volunteer=obj, paused=data["paused"])
        if data.get("new_vetting_status"):
            self._vet(request, obj, data)

    @staticmethod
    def _vet(request, obj, data) -> None:
        try:
            services.volunteer_vet(
                volunteer=obj,
                to_status=data["new_vetting_status"],
                by=request.user,
                reason=data.get("vetting_reason", ""),
                audit=audit_context_from(request),
            )
        except ValidationError as refused:
            if hasattr(refused, "error_dict"):  # keyed by the service's field names
                errors = {
                    "vetting_reason" if name == "reason" else "new_vetting_status": messages
                    for name, messages in refused.error_dict.items()
                }
                raise ValidationError(errors) from refused
            reason_missing = getattr(refused, "code", None) == "reason_required"
            field = "vetting_reason" if reason_missing else "new_vetting_status"
            raise ValidationError({field: refused.error_list}) from refused


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
    readonly_fields = ["location_precision", "geocoded_at"]

    def save_related(self, request, form, formsets, change):
        """A new address (or new zones) is placed on the map again, by a task."""
        super().save_related(request, form, formsets, change)
        if {"address", "zones"} & set(form.changed_data):
            organisation_offer_address_changed(offer=form.instance)
