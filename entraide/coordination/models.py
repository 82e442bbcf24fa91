"""What coordinators add to a request: notes between them, a flag for a second look, and
the history of every action they took on the case."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.needs.models import HelpRequest
from entraide.people.models import MemberRole, Organisation
from entraide.platform.transitions import Lifecycle


class CaseEventKind(models.TextChoices):
    CONTACT_REVEALED = "contact_revealed", _("Contact details read")
    SMS_SENT = "sms_sent", _("Message sent to the person")
    ASSIGNED = "assigned", _("Volunteer assigned by hand")
    RELEASED = "released", _("Assignment handed back to matching")
    PAIR_BLOCKED = "pair_blocked", _("Volunteer blocked for this request")
    URGENCY_CHANGED = "urgency_changed", _("Urgency changed")
    MARKED_DONE = "marked_done", _("Marked done")
    CANCELLED = "cancelled", _("Cancelled")
    FLAGGED = "flagged", _("Flagged for a second look")
    UNFLAGGED = "unflagged", _("Flag removed")
    NOTE_ADDED = "note_added", _("Note added")
    HANDED_OVER = "handed_over", _("Handed over to another zone")
    OFFERED = "offered", _("Offered to a partner organisation")
    CLAIMED = "claimed", _("Taken on by a partner organisation")
    CLAIM_DECLINED = "claim_declined", _("Declined by a partner organisation")
    OFFER_WITHDRAWN = "offer_withdrawn", _("Offer to a partner organisation withdrawn")


class CaseEvent(models.Model):
    """One coordinator action on a request, in the words shown in its history. ``detail``
    holds what the coordinator typed or chose (a reason, a first name), never contact data."""

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="case_events"
    )
    kind = models.CharField(_("what"), max_length=20, choices=CaseEventKind.choices)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case history")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.help_request_id} {self.kind}"


class CaseNote(models.Model):
    """A note from one coordinator to the others about a request (never shown outside)."""

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="case_notes"
    )
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("coordinators' note")
        verbose_name_plural = _("coordinators' notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.help_request_id} note {self.pk}"


class CaseFlag(models.Model):
    """A coordinator asks for a second look: the request stays in the queue until the
    flag is removed, whatever matching does."""

    help_request = models.OneToOneField(
        HelpRequest, on_delete=models.CASCADE, related_name="case_flag", primary_key=True
    )
    reason = models.CharField(_("reason"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")

    def __str__(self) -> str:
        return self.reason


class CaseMessage(models.Model):
    """A message a coordinator sent to the requester from the case view (the outbox row
    carries the delivery; this row says who sent which template)."""

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="case_messages"
    )
    template = models.CharField(_("template"), max_length=30)
    outbox_message = models.ForeignKey(
        "platform.OutboxMessage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("message to the requester")
        verbose_name_plural = _("messages to the requester")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.help_request_id} {self.template}"


class ClaimStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    CLAIMED = "claimed", _("Taken on")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACTIVE_CLAIM_STATUSES = (ClaimStatus.OFFERED, ClaimStatus.CLAIMED)

# The members of an organisation who see the cases offered to it and answer for it (the
# same members matching lets read the contact of an organisation's accepted assignment).
CLAIM_MEMBER_ROLES = (MemberRole.ADMIN, MemberRole.COORDINATOR)

# An offer is claimed or declined by the organisation, or withdrawn by a coordinator (who
# may also take back a case the organisation took on). Declined and withdrawn are final:
# offering again makes a new row.
CLAIM_LIFECYCLE = Lifecycle(
    ClaimStatus,
    {
        ClaimStatus.OFFERED: {ClaimStatus.CLAIMED, ClaimStatus.DECLINED, ClaimStatus.WITHDRAWN},
        ClaimStatus.CLAIMED: {ClaimStatus.WITHDRAWN},
    },
)


class CaseClaim(models.Model):
    """A case a coordinator handed to a partner organisation, which takes it on (claims
    it) or declines it with a reason. A request has at most one offer or claim running at
    a time; declined and withdrawn rows stay as the record of what was tried."""

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="case_claims"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="case_claims",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.OFFERED
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("offered by"),
    )
    offered_at = models.DateTimeField(_("offered"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("case offered to a partner")
        verbose_name_plural = _("cases offered to partners")
        ordering = ["-offered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["help_request"],
                condition=models.Q(status__in=["offered", "claimed"]),
                name="case_claim_one_active",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="case_claim_org_status")]

    def __str__(self) -> str:
        return f"{self.help_request_id} → {self.organisation_id} ({self.status})"
