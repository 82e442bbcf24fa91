"""Volunteers and organisations: who gives help, where, when, and whether they are vetted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.platform.languages import LANGUAGES_WITHOUT_VARIANTS
from entraide.platform.transitions import Lifecycle
from entraide.territory.models import Zone


class VettingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for vetting")
    MORE_INFO = "more_info", _("More information asked")
    VERIFIED = "verified", _("Verified")
    REFUSED = "refused", _("Refused")
    SUSPENDED = "suspended", _("Suspended")


# A coordinator interviews a pending volunteer, then verifies, refuses or asks for more
# information; a verified volunteer may be suspended and later reinstated (verified).
VETTING_TRANSITIONS: dict[str, frozenset[str]] = {
    VettingStatus.PENDING: frozenset(
        {
            VettingStatus.VERIFIED,
            VettingStatus.REFUSED,
            VettingStatus.MORE_INFO,
            VettingStatus.SUSPENDED,
        }
    ),
    VettingStatus.MORE_INFO: frozenset(
        {VettingStatus.VERIFIED, VettingStatus.REFUSED, VettingStatus.SUSPENDED}
    ),
    VettingStatus.VERIFIED: frozenset({VettingStatus.SUSPENDED}),
    VettingStatus.REFUSED: frozenset({VettingStatus.VERIFIED}),
    VettingStatus.SUSPENDED: frozenset({VettingStatus.VERIFIED}),
}

# Moves a coordinator must explain; the reason is kept in the history and told to the
# volunteer.
VETTING_REASON_REQUIRED = frozenset(
    {VettingStatus.REFUSED, VettingStatus.MORE_INFO, VettingStatus.SUSPENDED}
)

VETTING_LIFECYCLE = Lifecycle(
    VettingStatus,
    VETTING_TRANSITIONS,
    field="vetting_status",
    history_link="volunteer",
    history_actor="by",
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PERIODS = ("morning", "afternoon", "evening")


class Volunteer(models.Model):
    """A resident who gives help. Their phone, e-mail and home point are private."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer",
        verbose_name=_("account"),
    )
    first_name = models.CharField(_("first name"), max_length=60)
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True)
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    email_verified = models.BooleanField(_("e-mail verified"), default=False)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("zone"))
    home_lat = models.FloatField(_("home latitude"))
    home_lon = models.FloatField(_("home longitude"))
    # Private, like the home point it is placed from (territory.geocoding, by a task).
    home_address = models.CharField(_("home address"), max_length=255, blank=True)
    home_precision = models.CharField(
        _("home location precision"), max_length=10, blank=True, editable=False
    )
    home_geocoded_at = models.DateTimeField(
        _("home placed on the map"), null=True, blank=True, editable=False
    )
    radius_km = models.FloatField(_("travel radius (km)"), default=2.0)
    categories = models.JSONField(_("categories of help"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    preferred_language = models.CharField(
        _("language for messages"), max_length=8, choices=LANGUAGES_WITHOUT_VARIANTS, default="fr"
    )
    availability = models.JSONField(
        _("weekly availability"),
        default=list,
        help_text=_("Slots such as “mon:morning”, “sat:afternoon”."),
    )
    max_open_assignments = models.PositiveSmallIntegerField(
        _("open assignments at once"), default=2
    )
    max_per_week = models.PositiveSmallIntegerField(_("assignments per week"), default=3)
    has_car = models.BooleanField(_("has a car"), default=False)
    extra_check_passed = models.BooleanField(
        _("extra check passed"),
        default=False,
        help_text=_("Needed for categories such as childcare (e.g. criminal record check)."),
    )
    vetting_status = models.CharField(
        _("vetting"), max_length=12, choices=VettingStatus.choices, default=VettingStatus.PENDING
    )
    paused = models.BooleanField(_("paused"), default=False)
    references = models.TextField(
        _("references"),
        blank=True,
        max_length=500,
        help_text=_("People or organisations who know the volunteer (private)."),
    )
    code_word = models.CharField(
        _("code word"),
        max_length=40,
        help_text=_("The requester can ask for it at the door."),
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["first_name", "id"]
        indexes = [
            models.Index(fields=["vetting_status", "paused"], name="volunteer_available"),
            models.Index(fields=["home_lat", "home_lon"], name="volunteer_home"),
            # The coordinators' queue reads each zone's largest radius from this alone.
            models.Index(
                fields=["zone", "vetting_status", "radius_km"], name="volunteer_zone_reach"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} (#{self.pk})"


class VettingEvent(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="vetting", verbose_name=_("volunteer")
    )
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=VettingStatus.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("vetting decision")
        verbose_name_plural = _("vetting history")

    def __str__(self) -> str:
        before = VettingStatus(self.from_status).label if self.from_status else "∅"
        return f"{before} → {self.get_to_status_display()}"


class OrganisationKind(models.TextChoices):
    COMMUNITY = "community", _("Community organisation")
    COMPANY = "company", _("Company")
    SHOP = "shop", _("Pharmacy or shop")
    PUBLIC_SERVICE = "public_service", _("Public service")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    public_phone = models.CharField(_("public phone"), max_length=20, blank=True)
    public_email = models.EmailField(_("public e-mail"), blank=True)
    zones = models.ManyToManyField(Zone, related_name="organisations", verbose_name=_("zones"))
    verified = models.BooleanField(_("verified by a coordinator"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    ADMIN = "admin", _("Administrator of the organisation")
    COORDINATOR = "coordinator", _("Coordinates the organisation's offers")
    EDITOR = "editor", _("Proposes aid measures and actions")
    MEMBER = "member", _("Member")


class OrganisationMembership(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("account"),
    )
    role = models.CharField(_("role"), max_length=12, choices=MemberRole.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}"


class OrganisationOffer(models.Model):
    """An organisation's standing capacity, e.g. "30 food parcels a week, 75018 to 75020"."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=160)
    categories = models.JSONField(_("categories of help"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    zones = models.ManyToManyField(
        Zone, related_name="organisation_offers", verbose_name=_("zones")
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    address = models.CharField(
        _("address of the place"),
        max_length=255,
        blank=True,
        help_text=_("Where the help is given or leaves from; placed on the map by itself."),
    )
    location_precision = models.CharField(
        _("location precision"), max_length=10, blank=True, editable=False
    )
    geocoded_at = models.DateTimeField(
        _("placed on the map"), null=True, blank=True, editable=False
    )
    radius_km = models.FloatField(_("radius (km)"), default=3.0)
    capacity_per_week = models.PositiveIntegerField(_("capacity per week"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation offer")
        verbose_name_plural = _("organisation offers")
        ordering = ["organisation__name", "title"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.title}"


class PhoneVerification(models.Model):
    """A six-digit code sent by SMS to prove a volunteer's phone number (stored hashed)."""

    volunteer = models.OneToOneField(
        Volunteer,
        on_delete=models.CASCADE,
        related_name="phone_verification",
        verbose_name=_("volunteer"),
    )
    code_hash = models.CharField(_("code (hashed)"), max_length=64)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_count = models.PositiveSmallIntegerField(_("codes sent"), default=0)

    class Meta:
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")

    def __str__(self) -> str:
        return f"#{self.volunteer_id}"
