"""Requests and offers as a source of personal data (export, erasure, retention).

Retention covers live entries too: a request or an offer nobody touched for the whole
retention period (an open request without an end date, a matched request never closed,
an offer left open) is closed by the system, then forgotten like a closed one.
"""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from entraide.platform.data_rights import PersonKey

from .categories import SENSITIVE_CODES
from .models import (
    HelpOffer,
    HelpRequest,
    OfferContact,
    OfferStatusChange,
    RequestContact,
    RequestStatusChange,
)
from .states import OFFER_CLOSED, REQUEST_CLOSED, OfferStatus, RequestStatus

_BLANK_CONTACT = {
    "first_name": "",
    "phone": "",
    "email": "",
    "address": "",
    "lat": None,
    "lon": None,
}


def _matching(model, key: PersonKey) -> QuerySet:
    condition = Q(pk__in=[])
    if key.references:
        condition |= Q(reference__in=key.references)
    if key.phones:
        condition |= Q(contact__phone__in=key.phones)
    if key.emails:
        condition |= Q(contact__email__in=key.emails)
    return model.objects.filter(condition).select_related("contact", "zone")


def _entry_dict(entry: HelpRequest | HelpOffer) -> dict[str, Any]:
    contact = entry.contact
    return {
        "reference": entry.reference,
        "zone": entry.zone.code,
        "status": entry.status,
        "description": entry.description,
        "created_at": entry.created_at.isoformat(),
        "channel": entry.channel,
        "contact": {
            "first_name": contact.first_name,
            "phone": contact.phone,
            "email": contact.email,
            "address": contact.address,
            "lat": contact.lat,
            "lon": contact.lon,
        },
        "history": [
            {
                "at": change.created_at.isoformat(),
                "to": change.to_status,
                "by": change.actor_label,
                "reason": change.reason,
            }
            for change in entry.status_changes.all()
        ],
    }


def _forget(entries: QuerySet, contact_model, link: str, history_model) -> int:
    """Keep the anonymous facts (category, zone, dates); drop the contact, the free text
    and the reasons the person typed (history copies too)."""
    ids = list(entries.values_list("pk", flat=True))
    history_model.objects.filter(**{f"{link}__in": ids}).exclude(
        actor_label__in=["coordinator", "system"]
    ).update(reason="")
    for entry in entries.model.objects.filter(pk__in=ids):
        if getattr(entry, "category", "") in SENSITIVE_CODES:
            # A distress or violence report is never public: even its scrubbed text goes.
            entry.public_description = ""
        entry.description = entry.public_description
        entry.personal_data_removed_at = timezone.now()
        entry.save(update_fields=["description", "public_description", "personal_data_removed_at"])
    contact_model.objects.filter(**{f"{link}__in": ids}).update(**_BLANK_CONTACT)
    return len(ids)


RETENTION_REASON = "retention period ended"
ERASURE_REASON = "erasure requested"


def _close_stale_requests(before: dt.datetime) -> list[int]:
    """Live requests untouched since ``before``: open ones expire, matched ones are
    cancelled (through the life cycle, so assignments and history follow)."""
    from .services import Actor, help_request_transition

    stale = list(
        HelpRequest.objects.exclude(status__in=REQUEST_CLOSED).filter(status_changed_at__lt=before)
    )
    for help_request in stale:
        to_status = (
            RequestStatus.EXPIRED
            if help_request.status == RequestStatus.OPEN
            else RequestStatus.CANCELLED
        )
        help_request_transition(
            help_request=help_request,
            to_status=to_status,
            actor_label=Actor.SYSTEM,
            reason=RETENTION_REASON,
        )
    return [help_request.pk for help_request in stale]


def _close_stale_offers(before: dt.datetime) -> list[int]:
    from .services import Actor, help_offer_transition

    stale = list(
        HelpOffer.objects.exclude(status__in=OFFER_CLOSED).filter(status_changed_at__lt=before)
    )
    for offer in stale:
        help_offer_transition(
            offer=offer,
            to_status=OfferStatus.EXPIRED,
            actor_label=Actor.SYSTEM,
            reason=RETENTION_REASON,
        )
    return [offer.pk for offer in stale]


class RequestsSource:
    name = "requests_for_help"

    def export(self, key: PersonKey) -> list[dict[str, Any]]:
        return [_entry_dict(entry) for entry in _matching(HelpRequest, key)]

    def erase(self, key: PersonKey) -> int:
        from .services import Actor, help_request_transition

        for live in _matching(HelpRequest, key).exclude(status__in=REQUEST_CLOSED):
            help_request_transition(
                help_request=live,
                to_status=RequestStatus.CANCELLED,
                actor_label=Actor.REQUESTER,
                reason=ERASURE_REASON,
            )
        return _forget(
            _matching(HelpRequest, key), RequestContact, "help_request_id", RequestStatusChange
        )

    def purge_expired(self, before: dt.datetime) -> int:
        stale = _close_stale_requests(before)
        expired = HelpRequest.objects.filter(
            Q(status__in=REQUEST_CLOSED, status_changed_at__lt=before) | Q(pk__in=stale),
            personal_data_removed_at__isnull=True,
        )
        return _forget(expired, RequestContact, "help_request_id", RequestStatusChange)


class OffersSource:
    name = "offers_of_help"

    def export(self, key: PersonKey) -> list[dict[str, Any]]:
        return [_entry_dict(entry) for entry in _matching(HelpOffer, key)]

    def erase(self, key: PersonKey) -> int:
        from .services import Actor, help_offer_transition

        for live in _matching(HelpOffer, key).exclude(status__in=OFFER_CLOSED):
            help_offer_transition(
                offer=live,
                to_status=OfferStatus.CANCELLED,
                actor_label=Actor.HELPER,
                reason=ERASURE_REASON,
            )
        return _forget(_matching(HelpOffer, key), OfferContact, "offer_id", OfferStatusChange)

    def purge_expired(self, before: dt.datetime) -> int:
        stale = _close_stale_offers(before)
        expired = HelpOffer.objects.filter(
            Q(status__in=OFFER_CLOSED, status_changed_at__lt=before) | Q(pk__in=stale),
            personal_data_removed_at__isnull=True,
        )
        return _forget(expired, OfferContact, "offer_id", OfferStatusChange)
