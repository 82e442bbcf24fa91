"""The life cycles of requests and offers: the only place that says which moves are allowed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.platform.transitions import Lifecycle


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


REQUEST_LIFECYCLE = Lifecycle(
    RequestStatus, REQUEST_TRANSITIONS, touch=("updated_at",), history_link="help_request"
)
OFFER_LIFECYCLE = Lifecycle(
    OfferStatus, OFFER_TRANSITIONS, touch=("updated_at",), history_link="offer"
)
