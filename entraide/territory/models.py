"""A territory (the deployment's area) split into zones, each with its postcodes."""

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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """A part of the territory: an arrondissement, a quartier, a commune, an MRC."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="zones")
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

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="postcodes")
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="postcodes")
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
