"""Back office for coordinators: find requests and offers, correct them, move them along.

Nothing here writes a model directly: edits go through ``help_request_update`` /
``help_offer_update`` and moves through the life-cycle services, so the back office gets
the same validation, history and events as every other channel. Fields a service owns
(status, public copies and points, screening) are read-only, and so is the private contact.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from entraide.platform.admin_audit import AuditedChangeViewMixin
from entraide.platform.admin_site import ThroughServicesAdmin, ZoneScopedAdmin

from . import history, services
from .categories import category_choices
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

REQUEST_EDITED_FIELDS = ["urgency", "description", "window_start", "window_end", "time_of_day"]


class TransitionAdmin(AuditedChangeViewMixin, ZoneScopedAdmin, ThroughServicesAdmin):
    """The change form edits through the entry's update service (``update``) when one of
    ``edited_fields`` changed, then applies the chosen move through its life-cycle service
    (``transition_service``, called with the entry as ``entry_argument``). Everything a
    service owns (status, public copies, screening) is read-only here."""

    transition_service = staticmethod(services.help_request_transition)
    entry_argument = "help_request"
    edited_fields: tuple[str, ...] = ()

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("language"))
    def language_name(self, entry) -> str:
        return history.language_name(entry.language)

    def update(self, request, obj, form) -> None:
        """Hook: each admin below calls its app's update service (requests, offers)."""
        raise NotImplementedError

    def apply(self, request, obj, form):
        if any(name in form.changed_data for name in self.edited_fields):
            self.update(request, obj, form)
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
        except ValidationError as refused:
            raise ValidationError({"new_status": refused.error_list}) from refused


class ContactInline(admin.StackedInline):
    """The private contact, shown read-only: the change page it sits on is audited
    (``AuditedChangeViewMixin``), and the contact is changed by its owner's private link or
    an operator, never here."""

    can_delete = False
    extra = 0
    fields = ["first_name", "phone", "email", "address", "lat", "lon"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RequestContactInline(ContactInline):
    model = RequestContact


class HistoryInline(admin.TabularInline):
    """The status history in words: statuses, roles and the platform's own reasons are
    stored as codes and short English keys (``needs.history``)."""

    statuses: tuple = (RequestStatus,)
    extra = 0
    can_delete = False
    fields = ["created_at", "from_words", "to_words", "actor_words", "actor", "reason_words"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("from"))
    def from_words(self, change) -> str:
        return (
            history.status_label(change.from_status, self.statuses) if change.from_status else "—"
        )

    @admin.display(description=_("to"))
    def to_words(self, change) -> str:
        return history.status_label(change.to_status, self.statuses)

    @admin.display(description=_("by (role)"))
    def actor_words(self, change) -> str:
        return history.actor_text(change.actor_label)

    @admin.display(description=_("reason"))
    def reason_words(self, change) -> str:
        return history.reason_text(change.reason)


class RequestHistoryInline(HistoryInline):
    model = RequestStatusChange


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
        fields = REQUEST_EDITED_FIELDS


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
        "category",
        "public_description",
        "public_lat",
        "public_lon",
        "screened_at",
        "channel",
        "language_name",
        "created_at",
        "status_changed_at",
        "created_by",
        "feedback_helped",
        "feedback_at",
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
            {
                "fields": [
                    "channel",
                    "language_name",
                    "created_by",
                    "created_at",
                    "status_changed_at",
                    "screened_at",
                    "public_lat",
                    "public_lon",
                ]
            },
        ),
        (_("Requester's feedback"), {"fields": ["feedback_helped", "feedback_at"]}),
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
    edited_fields = tuple(REQUEST_EDITED_FIELDS)

    def update(self, request, obj, form):
        """Category is not among the edited fields: ``help_request_update`` keeps it (it
        decides whether the request goes to volunteers or to professional partners)."""
        data = form.cleaned_data
        services.help_request_update(
            help_request=obj,
            data=services.RequestInput(
                category=obj.category,
                description=data["description"],
                urgency=data["urgency"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                time_of_day=data["time_of_day"],
                contact=_contact_input(RequestContact.objects.filter(help_request=obj).first()),
            ),
            actor_label=services.Actor.COORDINATOR,
        )


def _contact_input(contact: RequestContact | OfferContact | None) -> services.ContactInput:
    """The stored contact, unchanged: the back office edits the need, not the person."""
    if contact is None:
        return services.ContactInput()
    return services.ContactInput(
        first_name=contact.first_name,
        phone=contact.phone,
        email=contact.email,
        address=contact.address,
        lat=contact.lat,
        lon=contact.lon,
    )


class OfferCategoryInline(admin.TabularInline):
    """Read-only: the categories are chosen in the form above, checked by the service."""

    model = OfferCategory
    extra = 0
    can_delete = False
    fields = ["category"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OfferContactInline(ContactInline):
    model = OfferContact


class OfferHistoryInline(HistoryInline):
    model = OfferStatusChange
    statuses = (OfferStatus,)


class HelpOfferAdminForm(TransitionForm):
    transitions = OFFER_TRANSITIONS
    labels = OfferStatus
    categories = forms.MultipleChoiceField(
        label=_("Kinds of help"),
        choices=category_choices(include_sensitive=False),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = HelpOffer
        fields = ["description", "availability"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["categories"].initial = list(
                self.instance.categories.values_list("category", flat=True)
            )


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
        "public_description",
        "public_availability",
        "public_lat",
        "public_lon",
        "channel",
        "language_name",
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
        "categories",
        "availability",
        "public_availability",
        "description",
        "public_description",
        "public_lat",
        "public_lon",
        "channel",
        "language_name",
        "created_by",
        "created_at",
        "status_changed_at",
    ]
    inlines = [OfferCategoryInline, OfferContactInline, OfferHistoryInline]

    transition_service = staticmethod(services.help_offer_transition)
    entry_argument = "offer"
    edited_fields = ("categories", "description", "availability")

    def update(self, request, obj, form):
        data = form.cleaned_data
        services.help_offer_update(
            offer=obj,
            data=services.OfferInput(
                categories=tuple(data["categories"]),
                description=data["description"],
                availability=data["availability"],
                contact=_contact_input(OfferContact.objects.filter(offer=obj).first()),
            ),
        )
