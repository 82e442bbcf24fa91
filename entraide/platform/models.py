"""Cross-cutting records: roles, the audit log and the outbox of outgoing messages."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    ORGANISATION_MEMBER = "organisation_member", _("Organisation member")
    OPERATOR = "operator", _("Hotline operator")
    ZONE_COORDINATOR = "zone_coordinator", _("Zone coordinator")
    TERRITORY_COORDINATOR = "territory_coordinator", _("Territory coordinator")
    PARTNER = "partner", _("Partner")
    ADMINISTRATOR = "administrator", _("Administrator")


class RoleGrant(models.Model):
    """A user holds a role, on the whole territory (no zone) or on one zone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("account"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    zone = models.ForeignKey(
        "territory.Zone",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("zone"),
        help_text=_("Empty: the whole territory."),
    )
    area = models.ForeignKey(
        "territory.Area",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("A level of the territory: the role covers every zone below it."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("granted on"), auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "zone"], name="role_grant_unique"),
            models.UniqueConstraint(
                fields=["user", "role", "area"],
                condition=models.Q(area__isnull=False),
                name="role_grant_area_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(zone__isnull=True) | models.Q(area__isnull=True),
                name="role_grant_zone_or_area",
            ),
        ]

    def __str__(self) -> str:
        if self.area_id:
            scope = self.area.name
        else:
            scope = self.zone.code if self.zone_id else _("whole territory")
        return f"{self.get_role_display()} — {scope}"


class AuditLog(models.Model):
    """Who read or changed private data, when, why. Holds no personal data itself:
    the subject is a reference (``R7K3F9A``, ``volunteer:12``), never a name or number."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor (role)"), max_length=60, blank=True)
    action = models.CharField(_("action"), max_length=60)
    subject = models.CharField(_("subject"), max_length=80)
    purpose = models.CharField(_("purpose"), max_length=120, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject", "created_at"], name="audit_subject")]

    def __str__(self) -> str:
        return f"{self.action} {self.subject}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class OutboxChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class OutboxMessage(models.Model):
    """An outgoing message, written in the same transaction as the change that caused it.

    The worker delivers it and retries with backoff. ``delivery_key`` is unique: enqueuing
    the same message twice is a no-op, and the key travels to the provider so a resend
    after a crash can be recognised there.
    """

    channel = models.CharField(_("channel"), max_length=10, choices=OutboxChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    delivery_key = models.CharField(_("delivery key"), max_length=120, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    provider_reference = models.CharField(_("provider reference"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    secret = models.BooleanField(
        _("holds a secret"),
        default=False,
        help_text=_(
            "A reset link, a code or a private link: the text is kept only until it is "
            "delivered and never exported."
        ),
    )

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.delivery_key}"


class ErasureRecord(models.Model):
    """A person asked to be forgotten. Only a keyed hash of their identifier is kept, so
    the erasure can be applied again after restoring a backup."""

    identifier_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")

    def __str__(self) -> str:
        return self.identifier_hash[:12]


class ProofKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")


class ContactProof(models.Model):
    """A person proving they hold a phone (a code by SMS) or an e-mail (a one-time link),
    before they download or erase everything held about that phone or e-mail. Only the
    hash of the code or link is kept; the row is deleted once it is out of date."""

    kind = models.CharField(max_length=5, choices=ProofKind.choices)
    contact = models.CharField(max_length=254)
    secret_hash = models.CharField(max_length=64, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proof of contact")
        verbose_name_plural = _("proofs of contact")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
