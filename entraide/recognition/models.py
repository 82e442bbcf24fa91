"""Volunteering hours and the certificates that sum them up.

An ``HoursEntry`` is one piece of work counted in minutes: a shift (recorded by
``missions``) or an assignment (recorded here when matching says it is done). It is
proposed, then confirmed or rejected by a coordinator; only confirmed hours count on a
certificate. A ``Certificate`` keeps only the hash of its verification code, the period,
the total and when it was issued, so the public verification page can answer without
naming anyone.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entraide.people.models import Organisation, Volunteer
from entraide.platform.transitions import Lifecycle
from entraide.territory.models import Territory, Zone


class HoursSource(models.TextChoices):
    SHIFT = "shift", _("Mission shift")
    ASSIGNMENT = "assignment", _("Help to a neighbour")


class HoursState(models.TextChoices):
    PROPOSED = "proposed", _("To be confirmed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


HOURS_TRANSITIONS: dict[str, frozenset[str]] = {
    HoursState.PROPOSED: frozenset({HoursState.CONFIRMED, HoursState.REJECTED}),
    # A coordinator may correct a decision either way.
    HoursState.CONFIRMED: frozenset({HoursState.REJECTED}),
    HoursState.REJECTED: frozenset({HoursState.CONFIRMED}),
}

HOURS_LIFECYCLE = Lifecycle(HoursState, HOURS_TRANSITIONS, field="state")

MAX_MINUTES = 24 * 60


class HoursEntry(models.Model):
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        related_name="hours_entries",
        verbose_name=_("volunteer"),
    )
    source = models.CharField(_("source"), max_length=12, choices=HoursSource.choices)
    source_key = models.CharField(_("source key"), max_length=80)
    minutes = models.PositiveIntegerField(_("minutes"))
    worked_on = models.DateField(_("date"))
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisation"),
    )
    zone = models.ForeignKey(
        Zone,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("zone"),
    )
    category = models.CharField(_("kind of help"), max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=HoursState.choices, default=HoursState.PROPOSED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    confirmed_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours entries")
        ordering = ["-worked_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_key"], name="hours_source_unique"),
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=MAX_MINUTES),
                name="hours_minutes_range",
            ),
        ]
        indexes = [
            models.Index(fields=["volunteer", "worked_on"], name="hours_volunteer"),
            models.Index(
                fields=["zone", "state"],
                condition=Q(state="proposed"),
                name="hours_to_confirm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.source_key}: {self.minutes} min"


class Certificate(models.Model):
    """A certificate of volunteering issued to a volunteer for a period.

    Only the SHA-256 of its code is kept: the code is printed on the PDF once.
    """

    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("volunteer"),
    )
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuing territory"),
    )
    code_hash = models.CharField(_("code (hashed)"), max_length=64, unique=True)
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    total_minutes = models.PositiveIntegerField(_("total minutes"))
    entry_count = models.PositiveIntegerField(_("entries"))
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("certificate of volunteering")
        verbose_name_plural = _("certificates of volunteering")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.period_start} - {self.period_end}"
