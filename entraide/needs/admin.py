"""Back office for coordinators: find requests and offers, and move them along.

Status is never edited as a plain field: the change form offers only the moves the life
cycle allows, and they go through the same service as every other channel.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from entraide.platform.admin_audit import AuditedChangeViewMixin
from entraide.platform.admin_site import ZoneScopedAdmin

from . import services
from .models import (
    HelpOffer,
    HelpRequest,
    OfferCategory,
    OfferContact,
    OfferStatusChange,
    RequestContact,
    RequestStatusChange,
)
from .states import OFFER_TRANSITIONS, REQUEST_TRANSITIONS, OfferStatus, RequestStatus


class TransitionAdmin(AuditedChangeViewMixin, ZoneScopedAdmin):
    """Saves the edited fields, then applies the chosen move through the life-cycle
    service of the entry (``transition_service``, called with the entry as
    ``entry_argument``), so the back office follows the same rules."""

    transition_service = staticmethod(services.help_request_transition)
    entry_argument = "help_request"

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        target = form.cleaned_data.get("new_status")
        if not target:
            return
        try:
            self.transition_service(
                **{self.entry_argument: obj},
                to_status=target,
                actor=request.user,
                actor_label=services.Actor.COORDINATOR,
                reason=form.cleaned_data.get("transition_reason", ""),
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)


class RequestContactInline(admin.StackedInline):
    model = RequestContact
    can_delete = False
    extra = 0


class RequestHistoryInline(admin.TabularInline):
    model = RequestStatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor_label", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class TransitionForm(forms.ModelForm):
    """Adds "move to" and "why" to a change form; the choices are the allowed moves."""

    transitions: dict = {}
    labels: type = RequestStatus
    new_status = forms.ChoiceField(label=_("Move to"), required=False)
    transition_reason = forms.CharField(label=_("Why"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status if self.instance.pk else None
        allowed = sorted(self.transitions.get(current, ()))
        self.fields["new_status"].choices = [("", _("— keep the current status —"))] + [
            (value, self.labels(value).label) for value in allowed
        ]


class HelpRequestAdminForm(TransitionForm):
    transitions = REQUEST_TRANSITIONS
    labels = RequestStatus

    class Meta:
        model = HelpRequest
        fields = ["category", "urgency", "window_start", "window_end", "time_of_day"]


def _request_action(target: str, label):
    def action(modeladmin, request, queryset):
        moved = failed = 0
        for help_request in queryset:
            try:
                services.help_request_transition(
                    help_request=help_request,
                    to_status=target,
                    actor=request.user,
                    actor_label=services.Actor.COORDINATOR,
                    reason="back office bulk action",
                )
                moved += 1
            except ValidationError:
                failed += 1
        if moved:
            modeladmin.message_user(request, _("%(count)d moved.") % {"count": moved})
        if failed:
            modeladmin.message_user(
                request,
                _("%(count)d could not be moved from their current status.") % {"count": failed},
                messages.WARNING,
            )

    action.__name__ = f"move_to_{target}"
    action.short_description = label
    return action


@admin.register(HelpRequest)
class HelpRequestAdmin(TransitionAdmin):
    form = HelpRequestAdminForm
    list_display = ["reference", "zone", "category", "urgency", "status", "channel", "created_at"]
    list_filter = ["status", "urgency", "category", "channel", "zone", "created_at"]
    search_fields = ["reference", "description", "zone__name", "zone__code"]
    list_select_related = ["zone"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "reference",
        "zone",
        "status",
        "channel",
        "language",
        "description",
        "public_description",
        "created_at",
        "status_changed_at",
        "created_by",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "zone", "status", "new_status", "transition_reason"]}),
        (
            _("Need"),
            {
                "fields": [
                    "category",
                    "urgency",
                    "description",
                    "public_description",
                    "window_start",
                    "window_end",
                    "time_of_day",
                ]
            },
        ),
        (
            _("Origin"),
            {"fields": ["channel", "language", "created_by", "created_at", "status_changed_at"]},
        ),
    ]
    inlines = [RequestContactInline, RequestHistoryInline]
    actions = [
        _request_action(RequestStatus.MATCHED, _("Mark as: volunteer found")),
        _request_action(RequestStatus.DONE, _("Mark as: done")),
        _request_action(RequestStatus.CANCELLED, _("Cancel")),
        _request_action(RequestStatus.OPEN, _("Reopen (back to matching)")),
    ]

    transition_service = staticmethod(services.help_request_transition)
    entry_argument = "help_request"


class OfferCategoryInline(admin.TabularInline):
    model = OfferCategory
    extra = 0


class OfferContactInline(admin.StackedInline):
    model = OfferContact
    can_delete = False
    extra = 0


class OfferHistoryInline(admin.TabularInline):
    model = OfferStatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor_label", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class HelpOfferAdminForm(TransitionForm):
    transitions = OFFER_TRANSITIONS
    labels = OfferStatus

    class Meta:
        model = HelpOffer
        fields = ["availability"]


@admin.register(HelpOffer)
class HelpOfferAdmin(TransitionAdmin):
    form = HelpOfferAdminForm
    list_display = ["reference", "zone", "status", "channel", "created_at"]
    list_filter = ["status", "categories__category", "channel", "zone"]
    search_fields = ["reference", "description", "availability", "zone__name", "zone__code"]
    list_select_related = ["zone"]
    readonly_fields = [
        "reference",
        "zone",
        "status",
        "channel",
        "language",
        "description",
        "public_description",
        "created_at",
        "status_changed_at",
        "created_by",
    ]
    fields = [
        "reference",
        "zone",
        "status",
        "new_status",
        "transition_reason",
        "availability",
        "description",
        "public_description",
        "channel",
        "language",
        "created_by",
        "created_at",
        "status_changed_at",
    ]
    inlines = [OfferCategoryInline, OfferContactInline, OfferHistoryInline]

    transition_service = staticmethod(services.help_offer_transition)
    entry_argument = "offer"
