"""A territory (the deployment's area) split into zones, each with its postcodes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Territory(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    country_code = models.CharField(_("country"), max_length=2, default="FR")
    data_attribution = models.CharField(
        _("data attribution"),
        max_length=255,
        blank=True,
        help_text=_("Shown wherever zone data is displayed or exported."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """A part of the territory: an arrondissement, a quartier, a commune, an MRC."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="zones", verbose_name=_("territory")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    centroid_lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    centroid_lon = models.FloatField(_("centroid longitude"), null=True, blank=True)
    polygon = models.JSONField(
        _("polygon (GeoJSON)"), null=True, blank=True, help_text=_("A GeoJSON geometry.")
    )
    source_reference = models.CharField(
        _("source reference"),
        max_length=40,
        blank=True,
        help_text=_("Identifier in the source data, e.g. the INSEE commune code."),
    )

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "code"], name="zone_code_unique"),
        ]
        indexes = [models.Index(fields=["centroid_lat", "centroid_lon"], name="zone_centroid")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Postcode(models.Model):
    """A postcode of the territory and the one zone it leads to."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="postcodes", verbose_name=_("territory")
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, related_name="postcodes", verbose_name=_("zone")
    )
    code = models.CharField(_("postcode"), max_length=10)

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "code"], name="postcode_unique"),
        ]

    def __str__(self) -> str:
        return self.code


class IncidentStatus(models.TextChoices):
    ACTIVE = "active", _("Under way")
    ENDED = "ended", _("Ended")


class Incident(models.Model):
    """A crisis the territory is run under for a while (a flood, a heat wave, an epidemic):
    a banner on the public pages, a message on the hotline, and one episode to report.

    At most one incident of a territory is under way at a time.
    """

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="incidents", verbose_name=_("territory")
    )
    name = models.CharField(_("name"), max_length=120)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    categories = models.JSONField(
        _("kinds of help that matter"),
        default=list,
        blank=True,
        help_text=_("Category codes coordinators watch during the incident."),
    )
    hotline_message = models.TextField(
        _("hotline message"),
        max_length=400,
        blank=True,
        help_text=_("Read to callers after the greeting."),
    )
    banner_text = models.CharField(_("banner on the public pages"), max_length=280)
    status = models.CharField(
        _("state"), max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory"],
                condition=models.Q(status="active"),
                name="incident_one_active",
            )
        ]

    def __str__(self) -> str:
        return self.name


class IncidentEvent(models.Model):
    """One move of an incident (started, ended): who, when, why."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="history", verbose_name=_("incident")
    )
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=IncidentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident event")
        verbose_name_plural = _("incident history")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        before = IncidentStatus(self.from_status).label if self.from_status else "∅"
        return f"{before} → {self.get_to_status_display()}"
