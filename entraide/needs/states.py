"""The life cycles of requests and offers: the only place that says which moves are allowed."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Volunteer found")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Available")
    PAUSED = "paused", _("Paused")
    CANCELLED = "cancelled", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.OPEN: frozenset(
        {RequestStatus.MATCHED, RequestStatus.CANCELLED, RequestStatus.EXPIRED}
    ),
    RequestStatus.MATCHED: frozenset(
        {RequestStatus.IN_PROGRESS, RequestStatus.DONE, RequestStatus.OPEN, RequestStatus.CANCELLED}
    ),
    RequestStatus.IN_PROGRESS: frozenset(
        {RequestStatus.DONE, RequestStatus.OPEN, RequestStatus.CANCELLED}
    ),
    RequestStatus.DONE: frozenset(),
    RequestStatus.CANCELLED: frozenset(),
    RequestStatus.EXPIRED: frozenset(),
}

OFFER_TRANSITIONS: dict[str, frozenset[str]] = {
    OfferStatus.OPEN: frozenset({OfferStatus.PAUSED, OfferStatus.CANCELLED, OfferStatus.EXPIRED}),
    OfferStatus.PAUSED: frozenset({OfferStatus.OPEN, OfferStatus.CANCELLED, OfferStatus.EXPIRED}),
    OfferStatus.CANCELLED: frozenset(),
    OfferStatus.EXPIRED: frozenset(),
}

REQUEST_CLOSED = frozenset({RequestStatus.DONE, RequestStatus.CANCELLED, RequestStatus.EXPIRED})
OFFER_CLOSED = frozenset({OfferStatus.CANCELLED, OfferStatus.EXPIRED})


def check_transition(
    transitions: dict[str, frozenset[str]],
    labels: type[models.TextChoices],
    current: str,
    target: str,
) -> None:
    """Raise ValidationError(code="invalid_transition") unless current → target is allowed."""
    if target not in transitions.get(current, frozenset()):
        raise ValidationError(
            _("It cannot go from “%(current)s” to “%(target)s”."),
            code="invalid_transition",
            params={"current": labels(current).label, "target": labels(target).label},
        )
