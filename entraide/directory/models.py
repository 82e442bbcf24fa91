"""Aid measures, the practices catalogue, bulletins and subscriptions, ongoing actions.

A measure's public fields live on ``Measure``; every saved content is also a numbered
``MeasureVersion`` (a JSON snapshot), and every moderation move a ``MeasureStateChange``.
State only changes through ``services.measure_transition``, which checks ``states``.
"""

import datetime as dt

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.people.models import Organisation
from entraide.territory.models import Territory, Zone

from .states import MeasureState, PracticeState

CLOSING_SOON_DAYS = 14


class Level(models.TextChoices):
    FEDERAL = "federal", _("Federal or national")
    PROVINCIAL = "provincial", _("Provincial or regional")
    MUNICIPAL = "municipal", _("Municipal")
    COMMUNITY = "community", _("Community")


class Theme(models.TextChoices):
    FOOD_SECURITY = "food_security", _("Food security")
    HOUSING = "housing", _("Housing")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    INCOME = "income", _("Income and finances")
    DIGITAL_ACCESS = "digital_access", _("Digital access")
    ISOLATION = "isolation", _("Isolation and social ties")
    VIOLENCE = "violence", _("Domestic violence")
    EMPLOYMENT = "employment", _("Employment")
    TRANSPORT = "transport", _("Transport")
    COMMUNITY_SUPPORT = "community_support", _("Support to organisations")


class PracticeTheme(models.TextChoices):
    INFORMATION = "information", _("Information portals")
    ORGANISATIONS = "organisations", _("Support to organisations and volunteering")
    PUBLIC_SPACE = "public_space", _("Public space and cultural life")
    VULNERABLE = "vulnerable", _("Social issues and vulnerable people")
    SAFETY = "safety", _("Everyday safety and domestic violence")
    MUTUAL_AID = "mutual_aid", _("Mutual aid platforms")


class MeasureStatus(models.TextChoices):
    """Where a measure stands in time (computed from its deadline, never stored)."""

    ACTIVE = "active", _("Active")
    CLOSING_SOON = "closing_soon", _("Closing soon")
    ENDED = "ended", _("Ended")


class Measure(models.Model):
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="measures", verbose_name=_("territory")
    )
    zones = models.ManyToManyField(
        Zone,
        blank=True,
        related_name="measures",
        verbose_name=_("zones"),
        help_text=_("Empty: the whole territory."),
    )
    area = models.ForeignKey(
        "territory.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
        verbose_name=_("area"),
        help_text=_(
            "The level the measure applies to (a region, a municipality): every zone below it."
        ),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
        verbose_name=_("proposed by"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    eligibility = models.TextField(_("who it is for"))
    benefits = models.TextField(_("what it gives"))
    how_to_apply = models.TextField(_("how to apply"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    source_url = models.URLField(_("source link"), max_length=500)
    languages = models.JSONField(_("languages of service"), default=list)
    language = models.CharField(_("written in"), max_length=8, default="fr")
    state = models.CharField(
        _("state"), max_length=16, choices=MeasureState.choices, default=MeasureState.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    content_changed_at = models.DateTimeField(_("content changed"), null=True, blank=True)
    hsds_id = models.CharField(
        _("HSDS identifier"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("Identifier of the Open Referral service it was imported from."),
    )

    class Meta:
        verbose_name = _("aid measure")
        verbose_name_plural = _("aid measures")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["territory", "state", "deadline"], name="measure_public"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["hsds_id"],
                condition=~models.Q(hsds_id=""),
                name="measure_hsds_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def theme_codes(self) -> list[str]:
        return [item.theme for item in self.themes.all()]

    @property
    def theme_labels(self) -> list:
        return [Theme(code).label for code in self.theme_codes if code in Theme.values]

    def status_on(self, today: dt.date) -> str:
        if self.deadline is None or self.deadline > today + dt.timedelta(days=CLOSING_SOON_DAYS):
            return MeasureStatus.ACTIVE
        if self.deadline < today:
            return MeasureStatus.ENDED
        return MeasureStatus.CLOSING_SOON


class MeasureTheme(models.Model):
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="themes", verbose_name=_("aid measure")
    )
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "theme"], name="measure_theme_unique")
        ]
        indexes = [models.Index(fields=["theme", "measure"], name="measure_theme")]

    def __str__(self) -> str:
        return self.theme


# Notes and reasons the services write themselves, shown to people in their language.
SYSTEM_NOTES = {
    "created": _("First version"),
    "changed by a partner": _("Changed by a partner: to review again"),
}


def note_label(note: str) -> str:
    return str(SYSTEM_NOTES.get(note, note))


class MeasureVersion(models.Model):
    """One saved content of a measure, never changed afterwards."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="versions", verbose_name=_("aid measure")
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    state = models.CharField(_("state when saved"), max_length=16, choices=MeasureState.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("measure version")
        verbose_name_plural = _("measure versions")
        ordering = ["measure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "number"], name="measure_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} v{self.number}"

    @property
    def note_label(self) -> str:
        return note_label(self.note)


class MeasureStateChange(models.Model):
    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        related_name="state_changes",
        verbose_name=_("aid measure"),
    )
    from_state = models.CharField(
        _("previous state"), max_length=16, choices=MeasureState.choices, blank=True
    )
    to_state = models.CharField(_("new state"), max_length=16, choices=MeasureState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"

    @property
    def reason_label(self) -> str:
        return note_label(self.reason)


class Practice(models.Model):
    """An initiative a city or region ran, to inspire others."""

    title = models.CharField(_("title"), max_length=200)
    city = models.CharField(_("city or region"), max_length=120)
    country = models.CharField(_("country"), max_length=80)
    theme = models.CharField(_("theme"), max_length=20, choices=PracticeTheme.choices)
    description = models.TextField(_("what was done"))
    lessons = models.TextField(_("lessons learnt"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    contact_organisation = models.CharField(_("contact organisation"), max_length=160, blank=True)
    source_document = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("The document this practice comes from, or who proposed it."),
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=PracticeState.choices,
        default=PracticeState.PENDING_REVIEW,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["theme", "city", "title"]
        indexes = [models.Index(fields=["state", "theme"], name="practice_public")]

    def __str__(self) -> str:
        return f"{self.title} ({self.city})"


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, to preview")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")


class Bulletin(models.Model):
    """One week's bulletin of a territory: composed as a draft (by the weekly task or a
    coordinator), previewed, then published by a coordinator and kept as sent."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="bulletins", verbose_name=_("territory")
    )
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("until"))
    week = models.CharField(_("week"), max_length=10, help_text=_("ISO week, e.g. 2025-W07."))
    content = models.JSONField(_("content"))
    status = models.CharField(
        _("status"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    on_demand = models.BooleanField(_("composed on demand"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("composed by"),
    )
    created_at = models.DateTimeField(_("composed"), auto_now_add=True)
    published_at = models.DateTimeField(_("publication date"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-period_end", "-id"]

    def __str__(self) -> str:
        return f"{self.territory} {self.week}"

    @property
    def week_label(self) -> str:
        """The ISO week as people read it: "49 (2026)" for "2026-W49"."""
        year, _sep, number = self.week.partition("-W")
        return f"{int(number)} ({year})" if number.isdigit() else self.week


class Subscription(models.Model):
    """A partner's e-mail subscription to a territory's bulletin."""

    territory = models.ForeignKey(
        Territory,
        on_delete=models.CASCADE,
        related_name="bulletin_subscriptions",
        verbose_name=_("territory"),
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, default="fr")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("account"),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulletin subscription")
        verbose_name_plural = _("bulletin subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["territory", "email"], name="subscription_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.territory})"


class OngoingAction(models.Model):
    """What an organisation is doing now, declared so that others can see overlaps."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="ongoing_actions",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("what"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    audience = models.CharField(_("for whom"), max_length=200)
    zones = models.ManyToManyField(Zone, related_name="ongoing_actions", verbose_name=_("zones"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("ongoing action")
        verbose_name_plural = _("ongoing actions")
        ordering = ["-start_date", "id"]
        indexes = [models.Index(fields=["theme", "end_date"], name="action_theme_end")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.title}"


class DuplicateDecision(models.TextChoices):
    OPEN = "open", _("To look at")
    COORDINATE = "coordinate", _("Coordinate together")
    NOT_DUPLICATE = "not_duplicate", _("Not a duplicate")


class DuplicateCandidate(models.Model):
    """Two actions that look like the same effort; ``first`` has the smaller id."""

    first = models.ForeignKey(
        OngoingAction, on_delete=models.CASCADE, related_name="+", verbose_name=_("action")
    )
    second = models.ForeignKey(
        OngoingAction, on_delete=models.CASCADE, related_name="+", verbose_name=_("similar action")
    )
    score = models.FloatField(_("text similarity"))
    decision = models.CharField(
        _("decision"),
        max_length=16,
        choices=DuplicateDecision.choices,
        default=DuplicateDecision.OPEN,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}"


class Weekday(models.TextChoices):
    """Days as iCalendar (RFC 5545) and HSDS schedules write them."""

    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


class MeasureSchedule(models.Model):
    """Opening hours of a measure: one weekly slot (HSDS ``schedule``, RRULE FREQ=WEEKLY)."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="schedules", verbose_name=_("aid measure")
    )
    weekday = models.CharField(_("day"), max_length=2, choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    description = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["measure", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="measure_schedule_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPLIED = "applied", _("Applied")
    DISMISSED = "dismissed", _("Dismissed")


class MeasureProposal(models.Model):
    """A change to a published measure that came from outside (an HSDS import): kept
    apart until a coordinator applies it, so nothing published is overwritten unread."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("aid measure")
    )
    content = models.JSONField(_("proposed content"))
    source = models.CharField(_("source"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.status}"
