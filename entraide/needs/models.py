"""Requests for help and offers of help.

Public fields live on HelpRequest / HelpOffer; contact data lives apart, in
RequestContact / OfferContact, so that public queries never even load it. Status only
changes through the services, which check ``states`` and write a StatusChange row.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.territory.models import Zone

from .categories import category_choices, category_label
from .states import OfferStatus, RequestStatus


class Urgency(models.IntegerChoices):
    LOW = 0, _("Can wait a week")
    NORMAL = 1, _("In the next few days")
    HIGH = 2, _("Within 24 hours")
    CRITICAL = 3, _("Today, it is urgent")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    PHONE = "phone", _("Telephone")
    SMS = "sms", _("SMS")
    OPERATOR = "operator", _("Hotline operator")


class TimeOfDay(models.TextChoices):
    ANY = "any", _("Any time")
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


class PublicEntry(models.Model):
    """What requests and offers share: a zone, a public text, a private link."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("zone"))
    description = models.TextField(_("description"))
    public_description = models.TextField(
        _("public description"), editable=False, help_text=_("The description, scrubbed.")
    )
    public_lat = models.FloatField(_("public latitude"), null=True, blank=True, editable=False)
    public_lon = models.FloatField(_("public longitude"), null=True, blank=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, default="fr")
    private_token_hash = models.CharField(max_length=64, editable=False)
    private_link_expires_at = models.DateTimeField(editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference


class HelpRequest(PublicEntry):
    category = models.CharField(_("category"), max_length=20, choices=category_choices())
    urgency = models.IntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    window_start = models.DateField(_("from"), null=True, blank=True)
    window_end = models.DateField(_("until"), null=True, blank=True)
    time_of_day = models.CharField(
        _("time of day"), max_length=10, choices=TimeOfDay.choices, default=TimeOfDay.ANY
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    # When its current text was last read for distress (care); empty until then, and
    # emptied again by every edit, so a periodic sweep finds what was never screened.
    screened_at = models.DateTimeField(_("screened"), null=True, blank=True, editable=False)
    # The one question asked when the request is done, answered by a one-time link.
    feedback_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    feedback_helped = models.BooleanField(
        _("got the help they needed"), null=True, blank=True, editable=False
    )
    feedback_at = models.DateTimeField(_("feedback given"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("request for help")
        verbose_name_plural = _("requests for help")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["zone", "status", "category"], name="request_board"),
            models.Index(fields=["status", "urgency", "created_at"], name="request_queue"),
            models.Index(fields=["public_lat", "public_lon"], name="request_public_point"),
            # The coordinators' queue: open requests most urgent first, then oldest, with
            # what its counts read, so that both are index-only scans.
            models.Index(
                fields=["-urgency", "created_at", "id"],
                include=["zone", "channel", "category"],
                condition=models.Q(status=RequestStatus.OPEN),
                name="request_open_queue",
            ),
            models.Index(
                fields=["zone", "-urgency", "created_at", "id"],
                include=["channel", "category"],
                condition=models.Q(status=RequestStatus.OPEN),
                name="request_open_zone_queue",
            ),
        ]

    @property
    def category_label(self):
        return category_label(self.category)


class HelpOffer(PublicEntry):
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    public_availability = models.TextField(
        _("public availability"),
        blank=True,
        editable=False,
        help_text=_("The availability, scrubbed."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.OPEN
    )

    class Meta:
        verbose_name = _("offer of help")
        verbose_name_plural = _("offers of help")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["zone", "status"], name="offer_board")]

    @property
    def category_codes(self) -> list[str]:
        return [item.category for item in self.categories.all()]

    @property
    def category_labels(self) -> list:
        return [category_label(code) for code in self.category_codes]


class OfferCategory(models.Model):
    offer = models.ForeignKey(HelpOffer, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(_("category"), max_length=20, choices=category_choices())

    class Meta:
        verbose_name = _("offered category")
        verbose_name_plural = _("offered categories")
        constraints = [
            models.UniqueConstraint(fields=["offer", "category"], name="offer_category_unique")
        ]
        indexes = [models.Index(fields=["category", "offer"], name="offer_category_lookup")]

    def __str__(self) -> str:
        return str(category_label(self.category))


class ContactDetails(models.Model):
    """Private: only the author, coordinators and (later) an accepted volunteer see it."""

    first_name = models.CharField(_("first name"), max_length=60, blank=True)
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    lat = models.FloatField(_("exact latitude"), null=True, blank=True)
    lon = models.FloatField(_("exact longitude"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(_("Contact details"))


class RequestContact(ContactDetails):
    help_request = models.OneToOneField(
        HelpRequest, on_delete=models.CASCADE, related_name="contact", primary_key=True
    )
    # How close the exact point is to the address (territory.geocoding.Precision:
    # exact, street, postcode, zone), and when it was placed for good; empty until then.
    location_precision = models.CharField(
        _("location precision"), max_length=10, blank=True, editable=False
    )
    geocoded_at = models.DateTimeField(
        _("placed on the map"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("requester's contact")
        verbose_name_plural = _("requesters' contacts")


class OfferContact(ContactDetails):
    offer = models.OneToOneField(
        HelpOffer, on_delete=models.CASCADE, related_name="contact", primary_key=True
    )

    class Meta:
        verbose_name = _("helper's contact")
        verbose_name_plural = _("helpers' contacts")


class StatusChange(models.Model):
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by (role)"), max_length=60)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    statuses: type[models.TextChoices]  # the entry's statuses, set by each history

    def __str__(self) -> str:
        """ "Ouverte → Bénévole trouvé": the back office shows it above each line."""
        return f"{self._label(self.from_status) or '—'} → {self._label(self.to_status)}"

    def _label(self, code: str) -> str:
        return str(self.statuses(code).label) if code in self.statuses.values else code


class RequestStatusChange(StatusChange):
    statuses = RequestStatus

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status history")

    @property
    def to_status_label(self):
        return RequestStatus(self.to_status).label


class OfferStatusChange(StatusChange):
    statuses = OfferStatus
    offer = models.ForeignKey(HelpOffer, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StatusChange.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status history")

    @property
    def to_status_label(self):
        return OfferStatus(self.to_status).label
