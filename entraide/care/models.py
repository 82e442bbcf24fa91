"""Courtesy calls to isolated people, partners, and escalations of distress.

Everything here is private: none of these models is read by a public page, feed or API.
Personal data (a person's name and phone, their emergency contact, call notes, an
escalation's summary) is reached through the audited functions of ``access.py``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.platform.languages import LANGUAGES_WITHOUT_VARIANTS
from entraide.platform.transitions import Lifecycle
from entraide.territory.models import Territory, Zone

from .categories import ESCALATION_CATEGORIES
from .slots import slot_label


class ConsentMethod(models.TextChoices):
    PHONE = "phone", _("On the telephone")
    IN_PERSON = "in_person", _("In person")
    PAPER = "paper", _("Signed form")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("In the programme")
    LEFT = "left", _("Left the programme")


PERSON_LIFECYCLE = Lifecycle(PersonStatus, {PersonStatus.ACTIVE: {PersonStatus.LEFT}})


class LeaveMethod(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PHONE = "phone", _("Asked on the telephone")
    SMS_STOP = "sms_stop", _("Texted STOP")
    ERASURE = "erasure", _("Erasure of personal data")


class CarePerson(models.Model):
    """An isolated person who agreed to be called regularly.

    ``call_slots`` are weekly slots ``"mon@10:00"``, always on the slot grid
    (ENTRAIDE_CARE_SLOT_MINUTES), so that "two calls at once" means "the same slot".
    """

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("zone"))
    first_name = models.CharField(_("first name"), max_length=60)
    phone = models.CharField(_("phone (E.164)"), max_length=20, db_index=True)
    language = models.CharField(
        _("language"), max_length=8, choices=LANGUAGES_WITHOUT_VARIANTS, default="fr"
    )
    call_slots = models.JSONField(_("days and times to call"), default=list)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=80, blank=True)
    emergency_contact_phone = models.CharField(
        _("emergency contact's phone"), max_length=20, blank=True
    )
    emergency_contact_email = models.EmailField(_("emergency contact's e-mail"), blank=True)
    alert_emergency_contact = models.BooleanField(
        _("alert the emergency contact after missed calls"), default=False
    )
    consent_given_at = models.DateTimeField(_("consent given"))
    consent_method = models.CharField(
        _("how consent was given"), max_length=12, choices=ConsentMethod.choices
    )
    consent_purpose = models.CharField(_("purpose agreed to"), max_length=255)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    missed_in_row = models.PositiveSmallIntegerField(_("unanswered calls in a row"), default=0)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    left_method = models.CharField(
        _("left through"), max_length=12, choices=LeaveMethod.choices, blank=True
    )
    personal_data_removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person called")
        verbose_name_plural = _("people called")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "zone"], name="care_person_status")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"care:{self.pk}"

    def call_slots_display(self) -> list[str]:
        """The weekly slots in words, such as “Monday 10:00”."""
        return [slot_label(slot) for slot in self.call_slots]


class CallStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    RINGING = "ringing", _("Ringing the volunteer")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy")
    FAILED = "failed", _("Failed")
    VOLUNTEER_UNREACHED = "volunteer_unreached", _("The volunteer did not pick up")
    CANCELLED = "cancelled", _("Cancelled")


MISSED_STATUSES = frozenset({CallStatus.NO_ANSWER, CallStatus.BUSY, CallStatus.FAILED})
FINAL_STATUSES = MISSED_STATUSES | {
    CallStatus.ANSWERED,
    CallStatus.CANCELLED,
    CallStatus.VOLUNTEER_UNREACHED,
}
CALL_OUTCOMES = FINAL_STATUSES - {CallStatus.CANCELLED}

# A call ends once; how it ended may be recorded from any live state (by hand, or by the
# provider's callbacks).
CALL_LIFECYCLE = Lifecycle(
    CallStatus,
    {
        CallStatus.SCHEDULED: CALL_OUTCOMES | {CallStatus.RINGING, CallStatus.CANCELLED},
        CallStatus.RINGING: CALL_OUTCOMES | {CallStatus.IN_PROGRESS},
        CallStatus.IN_PROGRESS: CALL_OUTCOMES,
    },
)


class CourtesyCall(models.Model):
    """One attempt to call one person, at one slot, by one volunteer."""

    person = models.ForeignKey(CarePerson, on_delete=models.CASCADE, related_name="calls")
    volunteer = models.ForeignKey(
        "people.Volunteer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courtesy_calls",
        verbose_name=_("volunteer"),
    )
    scheduled_for = models.DateTimeField(_("scheduled for"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.SCHEDULED
    )
    provider_call_id = models.CharField(max_length=64, blank=True, db_index=True)
    duration_seconds = models.PositiveIntegerField(_("duration (s)"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("courtesy call")
        verbose_name_plural = _("courtesy calls")
        ordering = ["scheduled_for", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "scheduled_for"], name="care_one_call_per_person_slot"
            ),
            models.UniqueConstraint(
                fields=["volunteer", "scheduled_for"],
                condition=models.Q(volunteer__isnull=False),
                name="care_volunteer_not_double_booked",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"call:{self.pk}"


class Wellbeing(models.TextChoices):
    GOOD = "good", _("Doing well")
    FAIR = "fair", _("So-so")
    WORRYING = "worrying", _("Worrying")


class CallLog(models.Model):
    """What the volunteer noted after a call."""

    call = models.OneToOneField(CourtesyCall, on_delete=models.CASCADE, related_name="log")
    wellbeing = models.CharField(_("how the person is"), max_length=10, choices=Wellbeing.choices)
    notes = models.TextField(_("notes"), blank=True)
    needs = models.JSONField(_("needs noticed"), default=list)
    distress = models.BooleanField(_("distress"), default=False)
    distress_category = models.CharField(_("kind of distress"), max_length=20, blank=True)
    distress_reason = models.TextField(_("why"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("call log")
        verbose_name_plural = _("call logs")

    def __str__(self) -> str:
        return f"log {self.call.reference}"


class Partner(models.Model):
    """A social, health, domestic-violence or police team that takes escalations."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, verbose_name=_("territory"))
    name = models.CharField(_("name"), max_length=160)
    categories = models.JSONField(_("kinds of distress handled"), default=list)
    zones = models.ManyToManyField(
        Zone, blank=True, verbose_name=_("zones"), help_text=_("Empty: the whole territory.")
    )
    always_open = models.BooleanField(_("open 24/7"), default=False)
    open_days = models.JSONField(
        _("working days"), default=list, help_text=_("Such as “mon”, “tue”.")
    )
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="care_partners",
        verbose_name=_("members"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Telephone (SMS)")
    EMAIL = "email", _("E-mail")


class PartnerContact(models.Model):
    """One way to reach a partner; escalations walk them in ``position`` order."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    label = models.CharField(_("label"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=ContactKind.choices)
    value = models.CharField(_("phone or e-mail"), max_length=254)
    around_the_clock = models.BooleanField(
        _("reachable 24/7"), default=False, help_text=_("Also used outside working hours.")
    )

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()


class EscalationSource(models.TextChoices):
    COURTESY_CALL = "courtesy_call", _("Courtesy call")
    REQUEST_CATEGORY = "request_category", _("Sensitive request")
    REQUEST_KEYWORD = "request_keyword", _("Words in a request")
    SMS_KEYWORD = "sms_keyword", _("Words in an SMS")


class EscalationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    UNROUTED = "unrouted", _("No partner reached: coordinators alerted")
    CLOSED = "closed", _("Closed")


# Closing takes a report in hand too: it may be closed straight from any live state.
ESCALATION_LIFECYCLE = Lifecycle(
    EscalationStatus,
    {
        EscalationStatus.OPEN: {
            EscalationStatus.ACKNOWLEDGED,
            EscalationStatus.UNROUTED,
            EscalationStatus.CLOSED,
        },
        EscalationStatus.UNROUTED: {EscalationStatus.ACKNOWLEDGED, EscalationStatus.CLOSED},
        EscalationStatus.ACKNOWLEDGED: {EscalationStatus.CLOSED},
    },
)


class EscalationOutcome(models.TextChoices):
    """How a partner (or the coordination) closed a report: what the volunteer is told."""

    SUPPORTED = "supported", _("The person was reached and is being supported")
    REFERRED = "referred", _("The person was referred to a service")
    EMERGENCY = "emergency", _("Emergency services were sent")
    UNREACHABLE = "unreachable", _("The person could not be reached")
    NO_ACTION = "no_action", _("No action was needed")


class EscalationStage(models.TextChoices):
    PARTNER = "partner", _("Partner")
    COORDINATORS = "coordinators", _("Coordinators")
    ADMINISTRATORS = "administrators", _("Administrators")


class Escalation(models.Model):
    """A signal of distress sent to a partner at once, never public.

    ``source_key`` makes creation idempotent (one escalation per request, call log or SMS).
    ``stage`` is who is being alerted: the partner, then the zone's coordinators, then the
    administrators; ``level`` is the index of the partner contact currently alerted. When
    ``ack_due_at`` passes unacknowledged, or the current alert failed, the chain climbs.
    """

    source = models.CharField(_("source"), max_length=20, choices=EscalationSource.choices)
    source_key = models.CharField(max_length=80, unique=True)
    category = models.CharField(_("kind of distress"), max_length=20)
    zone = models.ForeignKey(
        Zone, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("zone")
    )
    help_request = models.ForeignKey(
        "needs.HelpRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    courtesy_call = models.ForeignKey(
        CourtesyCall, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(_("what was reported"), blank=True)
    reporter_phone = models.CharField(_("phone to call back"), max_length=20, blank=True)
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="escalations"
    )
    level = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(
        _("alerting"),
        max_length=14,
        choices=EscalationStage.choices,
        default=EscalationStage.PARTNER,
    )
    status = models.CharField(
        _("status"), max_length=14, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    ack_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=EscalationOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    personal_data_removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at", "-id"]
        permissions = [("handle_escalations", "Can see and acknowledge every escalation")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"E{self.pk}"

    def get_category_display(self) -> str:
        """The kind of distress in words (``category`` is a code, never shown)."""
        return str(ESCALATION_CATEGORIES.get(self.category, _("Other distress")))


class AlertOutcome(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class EscalationAlert(models.Model):
    """One alert sent about an escalation: to which contact, through which channel, and
    what became of the message (read from the outbox, so the page never claims more)."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="alerts")
    step = models.CharField(max_length=30)
    stage = models.CharField(_("alerting"), max_length=14, choices=EscalationStage.choices)
    contact = models.ForeignKey(
        PartnerContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(_("contact"), max_length=160)
    channel = models.CharField(_("channel"), max_length=10)
    recipient = models.CharField(_("recipient"), max_length=254)
    message = models.ForeignKey(
        "platform.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("escalation alert")
        verbose_name_plural = _("escalation alerts")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.escalation.reference} → {self.label}"

    @property
    def outcome(self) -> str:
        """Queued until the outbox sent it; failed when it gave up or never queued it."""
        if self.message is None:
            return AlertOutcome.FAILED
        if self.message.status == "sent":
            return AlertOutcome.DELIVERED
        if self.message.status == "pending":
            return AlertOutcome.QUEUED
        return AlertOutcome.FAILED

    def get_outcome_display(self) -> str:
        return AlertOutcome(self.outcome).label
