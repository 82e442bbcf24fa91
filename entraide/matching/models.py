"""Assignments of volunteers and organisation offers to requests, and their life cycle.

The engine (``engine/``) decides who is proposed; these models record what happened.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entraide.needs.models import HelpRequest
from entraide.people.models import OrganisationOffer, Volunteer
from entraide.platform.transitions import Lifecycle


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    STARTED = "started", _("Started")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("No answer in time")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SUPERSEDED = "superseded", _("Replaced by a better match")


# A request has at most one assignment in one of these states, enforced by the database.
ACTIVE_STATUSES = (AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED, AssignmentStatus.DONE)
OPEN_STATUSES = (AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED)

ASSIGNMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AssignmentStatus.PROPOSED: frozenset(
        {
            AssignmentStatus.ACCEPTED,
            AssignmentStatus.DECLINED,
            AssignmentStatus.EXPIRED,
            AssignmentStatus.SUPERSEDED,
            AssignmentStatus.WITHDRAWN,
        }
    ),
    AssignmentStatus.ACCEPTED: frozenset(
        {AssignmentStatus.STARTED, AssignmentStatus.DONE, AssignmentStatus.WITHDRAWN}
    ),
    AssignmentStatus.STARTED: frozenset({AssignmentStatus.DONE, AssignmentStatus.WITHDRAWN}),
    AssignmentStatus.DONE: frozenset(),
    AssignmentStatus.DECLINED: frozenset(),
    AssignmentStatus.EXPIRED: frozenset(),
    AssignmentStatus.WITHDRAWN: frozenset(),
    AssignmentStatus.SUPERSEDED: frozenset(),
}

# An assignment keeps its last reason and timestamps on itself: it has no history model.
ASSIGNMENT_LIFECYCLE = Lifecycle(AssignmentStatus, ASSIGNMENT_TRANSITIONS)


class AssignmentSource(models.TextChoices):
    INSTANT = "instant", _("Instant proposal")
    BATCH = "batch", _("Batch optimisation")
    MANUAL = "manual", _("Assigned by a coordinator")
    VOLUNTEER = "volunteer", _("Offered by the volunteer")


class Assignment(models.Model):
    help_request = models.ForeignKey(
        HelpRequest,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("request"),
    )
    volunteer = models.ForeignKey(
        Volunteer,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("volunteer"),
    )
    organisation_offer = models.ForeignKey(
        OrganisationOffer,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("organisation offer"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.PROPOSED,
    )
    source = models.CharField(_("source"), max_length=10, choices=AssignmentSource.choices)
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    respond_by = models.DateTimeField(_("answer expected by"))
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["help_request"],
                condition=Q(status__in=["accepted", "started", "done"]),
                name="one_active_assignment_per_request",
            ),
            models.CheckConstraint(
                condition=Q(volunteer__isnull=False, organisation_offer__isnull=True)
                | Q(volunteer__isnull=True, organisation_offer__isnull=False),
                name="assignment_has_one_supplier",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "respond_by"], name="assignment_due"),
            models.Index(fields=["volunteer", "status"], name="assignment_volunteer"),
            # The coordinators' queue counts each request's open proposals and refusals.
            models.Index(
                fields=["help_request", "status"],
                condition=Q(status__in=[AssignmentStatus.PROPOSED, AssignmentStatus.DECLINED]),
                name="assignment_queue_facts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.help_request.reference} → {self.supplier_label}"

    @property
    def supplier_label(self) -> str:
        if self.volunteer_id:
            return str(self.volunteer)
        return str(self.organisation_offer)


class BlockedPair(models.Model):
    """A coordinator decided this volunteer must not be proposed for this request."""

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="+", verbose_name=_("request")
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="+", verbose_name=_("volunteer")
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("blocked by"),
    )
    created_at = models.DateTimeField(_("blocked on"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked pair")
        verbose_name_plural = _("blocked pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["help_request", "volunteer"], name="blocked_pair_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.help_request_id} ✕ {self.volunteer_id}"


class UnmatchedReasonLabel(models.TextChoices):
    """The engine's ``UnmatchedReason`` codes, in words for the back office."""

    NO_SUPPLY_FOR_CATEGORY = "no_supply_for_category", _("Nobody offers this kind of help")
    NO_SUPPLY_IN_RADIUS = "no_supply_in_radius", _("Nobody travels as far as this address")
    NO_COMMON_LANGUAGE = "no_common_language", _("Nobody nearby speaks the language")
    NO_AVAILABILITY = "no_availability", _("Nobody nearby is free at that time")
    BLOCKED = "blocked", _("The volunteers who could help were blocked or said no")
    CAPACITY_EXHAUSTED = "capacity_exhausted", _("Everyone nearby is at full capacity")


class UnmatchedNote(models.Model):
    """Why the last matching run left a request without anyone."""

    help_request = models.OneToOneField(
        HelpRequest,
        on_delete=models.CASCADE,
        related_name="unmatched_note",
        primary_key=True,
        verbose_name=_("request"),
    )
    reason = models.CharField(_("reason"), max_length=40, choices=UnmatchedReasonLabel.choices)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("unmatched reason")
        verbose_name_plural = _("unmatched reasons")

    def __str__(self) -> str:
        return str(self.get_reason_display())
