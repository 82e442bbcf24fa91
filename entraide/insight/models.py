"""The dashboard's rollup: one narrow row per request with what the dashboard counts.

``RequestFact`` is derived data, never written by hand: the worker keeps it up to date
(``rollups.facts_catch_up`` every minute, ``rollups.facts_reconcile`` every hour) and the
dashboard catches up by itself when the worker has not done so lately. A request's
deletion deletes its fact (cascade). It holds no personal data: zone, kind of help,
urgency, status, creation time and two durations.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.needs.models import HelpRequest
from entraide.territory.models import Zone

# What the dashboard's aggregates read, so that PostgreSQL answers them from the index.
_COUNTED = ["status", "category", "urgency", "matched", "match_seconds", "done_seconds"]


class RequestFact(models.Model):
    request = models.OneToOneField(
        HelpRequest, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20)
    urgency = models.IntegerField()
    status = models.CharField(max_length=20)
    created_at = models.DateTimeField()
    # An accepted, started or done assignment, and the request not cancelled.
    matched = models.BooleanField(default=False)
    # That assignment's responded_at - created_at; its finished_at - created_at once done.
    match_seconds = models.FloatField(null=True)
    done_seconds = models.FloatField(null=True)

    class Meta:
        verbose_name = _("request figures")
        indexes = [
            models.Index(fields=["created_at", "zone"], include=_COUNTED, name="fact_period"),
            models.Index(fields=["zone", "created_at"], include=_COUNTED, name="fact_zone"),
            models.Index(
                fields=["zone", "category", "urgency", "created_at"],
                condition=models.Q(status="open"),
                name="fact_open",
            ),
        ]

    def __str__(self) -> str:
        return f"request {self.request_id}"


class RollupState(models.Model):
    """How far a rollup is up to date: every change before ``watermark`` is in it."""

    name = models.CharField(max_length=40, primary_key=True)
    watermark = models.DateTimeField(null=True)
    reconciled_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.name} as of {self.watermark}"
