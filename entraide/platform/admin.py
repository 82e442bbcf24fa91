from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .admin_audit import AuditedChangeViewMixin
from .models import AuditLog, OutboxMessage, Role, RoleGrant
from .staff import role_scope_check

# The roles written to the audit log ("actor_label"): the roles, and who else acts.
ACTOR_WORDS = {
    **{role.value: role.label for role in Role},
    "coordinator": _("Coordinator"),
    "requester": _("Person who asked"),
    "helper": _("Helper"),
    "system": _("The platform"),
}


class RoleGrantForm(forms.ModelForm):
    """A grant says what it means (``staff.role_scope_check``): a territory coordinator,
    an operator or an administrator covers the whole territory, a zone coordinator one
    zone (``roles.has_role`` reads them so)."""

    class Meta:
        model = RoleGrant
        fields = ["user", "role", "zone", "area"]

    def clean(self):
        cleaned = super().clean()
        role, zone, area = cleaned.get("role"), cleaned.get("zone"), cleaned.get("area")
        if area is not None:
            if zone is not None:
                self.add_error("area", _("Choose a zone or an area, not both."))
            elif role != Role.ZONE_COORDINATOR:
                self.add_error("area", _("Only a zone coordinator's role covers an area."))
            return cleaned
        try:
            role_scope_check(role=role, zones=[zone] if zone else [])
        except ValidationError as refused:
            self.add_error("zone", refused.error_dict["zones"])
        return cleaned


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    form = RoleGrantForm
    list_display = ["user", "role", "zone", "area", "granted_by", "created_at"]
    list_filter = ["role", "zone", "area"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "zone", "area", "granted_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


class ActorRoleFilter(admin.SimpleListFilter):
    """The roles found in the log, by their names."""

    title = _("by (role)")
    parameter_name = "actor_label"

    def lookups(self, request, model_admin):
        labels = AuditLog.objects.order_by().values_list("actor_label", flat=True).distinct()
        return [(label, ACTOR_WORDS.get(label, label)) for label in sorted(labels) if label]

    def queryset(self, request, queryset):
        return queryset.filter(actor_label=self.value()) if self.value() else queryset


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor",
        "actor_words",
        "action",
        "subject",
        "purpose",
        "ip_address",
    ]
    list_filter = ["action", ActorRoleFilter]
    exclude = ["actor_label"]
    readonly_fields = ["actor_words"]
    search_fields = ["subject", "actor__username", "action"]
    date_hierarchy = "created_at"

    @admin.display(description=_("by (role)"), ordering="actor_label")
    def actor_words(self, entry: AuditLog) -> str:
        """The role in words; actions and purposes stay the log's technical keys."""
        return str(ACTOR_WORDS.get(entry.actor_label, entry.actor_label))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(AuditedChangeViewMixin, admin.ModelAdmin):
    """The change page shows the recipient and the body: each view is audited."""

    audit_action = "read_outbox_message"
    audit_purpose = "back office outbox message"

    list_display = [
        "created_at",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "delivery_key",
        "last_error",
    ]
    list_filter = ["channel", "status"]
    search_fields = ["delivery_key", "provider_reference"]
    exclude = ["language"]  # shown by its name (language_name), and never edited
    readonly_fields = [
        "language_name" if f.name == "language" else f.name for f in OutboxMessage._meta.fields
    ]

    @admin.display(description=_("language"))
    def language_name(self, message: OutboxMessage) -> str:
        try:
            return str(get_language_info(message.language)["name_translated"])
        except KeyError:
            return message.language

    def has_add_permission(self, request):
        return False
