"""A territory (the deployment's area) split into zones, each with its postcodes.

Between the territory and its zones, areas in levels of any depth (province → region →
MRC → municipality → borough; or Paris → arrondissements): zones are the leaves where
requests live, each attached to the area just above it.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    """An IANA time zone name, e.g. Europe/Paris or America/Toronto."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone (for example Europe/Paris)."),
            code="unknown_time_zone",
            params={"value": value},
        )


def default_languages() -> list[str]:
    return ["fr"]


def validate_languages(value: object) -> None:
    """A non-empty list of short language codes, e.g. ["fr", "en"]."""
    if not (
        isinstance(value, list)
        and value
        and all(isinstance(code, str) and 2 <= len(code) <= 8 for code in value)
    ):
        raise ValidationError(
            _('Give a list of language codes, for example ["fr", "en"].'), code="bad_languages"
        )


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
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    languages = models.JSONField(
        _("languages"),
        default=default_languages,
        validators=[validate_languages],
        help_text=_("Language codes, the first one being the default."),
    )
    hotline_number = models.CharField(
        _("hotline number"),
        max_length=20,
        blank=True,
        help_text=_("In international format, e.g. +33 1 23 45 67 89."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """One level of the territory's hierarchy: a province, a region, an MRC, a municipality.

    ``path`` is the materialised chain of ids from the root (``/3/17/42/``), so every
    area below one is found with one indexed prefix query. It is kept by
    :func:`entraide.territory.services.area_save`.
    """

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="areas", verbose_name=_("territory")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("part of"),
    )
    level = models.CharField(
        _("level"), max_length=40, help_text=_("E.g. province, région, MRC, municipalité.")
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    path = models.CharField(_("path"), max_length=255, blank=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    centroid_lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    centroid_lon = models.FloatField(_("centroid longitude"), null=True, blank=True)
    polygon = models.JSONField(
        _("polygon (GeoJSON)"), null=True, blank=True, help_text=_("A GeoJSON geometry.")
    )
    hotline_number = models.CharField(
        _("hotline number"),
        max_length=20,
        blank=True,
        help_text=_("A municipality hosted beside others may have its own."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Empty: the territory's languages."),
    )
    source_reference = models.CharField(_("source reference"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "code"], name="area_code_unique"),
        ]
        indexes = [
            models.Index(fields=["path"], name="area_path", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.level})"

    @property
    def path_ids(self) -> list[int]:
        """Ids from the top area down to this one."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Zone(models.Model):
    """A part of the territory: an arrondissement, a quartier, a commune, an MRC."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="zones", verbose_name=_("territory")
    )
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="zones",
        verbose_name=_("area"),
        help_text=_("The level just above the zone (empty: directly under the territory)."),
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
