"""Missions of organisations (or of the city) and their shifts, the volunteers' sign-ups
(with a waiting list), and each volunteer's private calendar link.

A shift's ``taken`` counts the sign-ups that hold a place (confirmed, checked in or out,
no-show); the sign-up service changes it under the shift's row lock, and a check
constraint keeps it within ``places``, so the last place goes to one person only.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from entraide.platform.transitions import Lifecycle
from entraide.territory.models import Zone


class MissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Closed")


MISSION_LIFECYCLE = Lifecycle(
    MissionStatus,
    {
        MissionStatus.DRAFT: frozenset({MissionStatus.PUBLISHED, MissionStatus.CANCELLED}),
        MissionStatus.PUBLISHED: frozenset({MissionStatus.CANCELLED, MissionStatus.CLOSED}),
    },
    touch=("updated_at",),
    history_link="mission",
)


class Mission(models.Model):
    """What an organisation (or, without one, the city) asks volunteers to do."""

    organisation = models.ForeignKey(
        "people.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="missions",
        verbose_name=_("organisation"),
        help_text=_("None: a mission of the city, published by a coordinator."),
    )
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("zone"))
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"))
    category = models.CharField(_("kind of help"), max_length=20)
    meeting_place = models.TextField(
        _("meeting place"),
        blank=True,
        help_text=_("Shown only to the volunteers signed up for one of its shifts."),
    )
    required_categories = models.JSONField(_("skills required"), default=list, blank=True)
    requires_extra_check = models.BooleanField(_("extra check required"), default=False)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), default=0)
    accessibility_notes = models.TextField(_("accessibility"), blank=True)
    cancel_deadline_hours = models.PositiveSmallIntegerField(
        _("cancellation possible until (hours before the start)"), default=24
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MissionStatus.choices, default=MissionStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    next_shift_at = models.DateTimeField(
        _("next shift"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Start of its next scheduled shift: kept by the shift services."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "zone"], name="mission_status_zone"),
            models.Index(fields=["status", "next_shift_at"], name="mission_next_shift"),
            models.Index(fields=["organisation", "status"], name="mission_organisation"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"M-{self.pk}"


class MissionEvent(models.Model):
    """One move of a mission's state: who, when, why."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=MissionStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class ShiftStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("shift", "Scheduled")
    CANCELLED = "cancelled", pgettext_lazy("shift", "Cancelled")
    COMPLETED = "completed", pgettext_lazy("shift", "Completed")


SHIFT_LIFECYCLE = Lifecycle(
    ShiftStatus,
    {ShiftStatus.SCHEDULED: frozenset({ShiftStatus.CANCELLED, ShiftStatus.COMPLETED})},
)


class Shift(models.Model):
    """One time slot of a mission, with a number of places."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    places = models.PositiveIntegerField(_("places"))
    taken = models.PositiveIntegerField(_("places taken"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=ShiftStatus.choices, default=ShiftStatus.SCHEDULED
    )
    series = models.CharField(
        _("series"), max_length=32, blank=True, help_text=_("Shifts made from one rule.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="shift_places_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(taken__lte=F("places")), name="shift_not_overbooked"
            ),
        ]
        indexes = [
            models.Index(fields=["mission", "starts_at"], name="shift_mission_start"),
            models.Index(
                fields=["starts_at"],
                condition=Q(status="scheduled"),
                name="shift_scheduled_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mission} — {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        return max(self.places - self.taken, 0)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class SignupStatus(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("sign-up", "On the waiting list")
    CONFIRMED = "confirmed", pgettext_lazy("sign-up", "Signed up")
    CHECKED_IN = "checked_in", pgettext_lazy("sign-up", "Checked in")
    CHECKED_OUT = "checked_out", pgettext_lazy("sign-up", "Checked out")
    NO_SHOW = "no_show", pgettext_lazy("sign-up", "Did not come")
    CANCELLED = "cancelled", pgettext_lazy("sign-up", "Cancelled")


# Sign-ups that hold one of the shift's places.
HOLDING = frozenset(
    {
        SignupStatus.CONFIRMED,
        SignupStatus.CHECKED_IN,
        SignupStatus.CHECKED_OUT,
        SignupStatus.NO_SHOW,
    }
)
# Sign-ups still alive: one per volunteer and shift.
ACTIVE = HOLDING | {SignupStatus.WAITING}

SIGNUP_LIFECYCLE = Lifecycle(
    SignupStatus,
    {
        SignupStatus.WAITING: frozenset({SignupStatus.CONFIRMED, SignupStatus.CANCELLED}),
        SignupStatus.CONFIRMED: frozenset(
            {SignupStatus.CANCELLED, SignupStatus.CHECKED_IN, SignupStatus.NO_SHOW}
        ),
        SignupStatus.CHECKED_IN: frozenset({SignupStatus.CHECKED_OUT}),
        # A latecomer marked absent may still arrive.
        SignupStatus.NO_SHOW: frozenset({SignupStatus.CHECKED_IN}),
    },
    history_link="signup",
)


class Signup(models.Model):
    """One volunteer on one shift: holding a place, or waiting for one."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(
        "people.Volunteer",
        on_delete=models.CASCADE,
        related_name="shift_signups",
        verbose_name=_("volunteer"),
    )
    status = models.CharField(_("status"), max_length=12, choices=SignupStatus.choices)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("place given"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes counted"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(status__in=sorted(ACTIVE)),
                name="signup_once_per_shift",
            )
        ]
        indexes = [
            models.Index(fields=["shift", "status", "created_at"], name="signup_shift_queue"),
            models.Index(fields=["volunteer", "status"], name="signup_volunteer"),
            models.Index(
                fields=["status"],
                condition=Q(status="confirmed", reminded_at__isnull=True),
                name="signup_to_remind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} — {self.shift}"


class SignupEvent(models.Model):
    """One move of a sign-up: who, when, why."""

    signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=SignupStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class CalendarToken(models.Model):
    """A volunteer's private calendar link: only its hash is kept; a new one revokes it."""

    volunteer = models.OneToOneField(
        "people.Volunteer", on_delete=models.CASCADE, related_name="calendar_token"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calendar link of volunteer #{self.volunteer_id}"
