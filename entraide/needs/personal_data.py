"""Requests and offers as a source of personal data (export, erasure, retention)."""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from entraide.platform.data_rights import PersonKey

from .models import (
    HelpOffer,
    HelpRequest,
    OfferContact,
    OfferStatusChange,
    RequestContact,
    RequestStatusChange,
)
from .states import OFFER_CLOSED, REQUEST_CLOSED

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
        entry.description = entry.public_description
        entry.personal_data_removed_at = timezone.now()
        entry.save(update_fields=["description", "personal_data_removed_at"])
    contact_model.objects.filter(**{f"{link}__in": ids}).update(**_BLANK_CONTACT)
    return len(ids)


class RequestsSource:
    name = "requests_for_help"

    def export(self, key: PersonKey) -> list[dict[str, Any]]:
        return [_entry_dict(entry) for entry in _matching(HelpRequest, key)]

    def erase(self, key: PersonKey) -> int:
        return _forget(
            _matching(HelpRequest, key), RequestContact, "help_request_id", RequestStatusChange
        )

    def purge_expired(self, before: dt.datetime) -> int:
        expired = HelpRequest.objects.filter(
            status__in=REQUEST_CLOSED,
            status_changed_at__lt=before,
            personal_data_removed_at__isnull=True,
        )
        return _forget(expired, RequestContact, "help_request_id", RequestStatusChange)


class OffersSource:
    name = "offers_of_help"

    def export(self, key: PersonKey) -> list[dict[str, Any]]:
        return [_entry_dict(entry) for entry in _matching(HelpOffer, key)]

    def erase(self, key: PersonKey) -> int:
        return _forget(_matching(HelpOffer, key), OfferContact, "offer_id", OfferStatusChange)

    def purge_expired(self, before: dt.datetime) -> int:
        expired = HelpOffer.objects.filter(
            status__in=OFFER_CLOSED,
            status_changed_at__lt=before,
            personal_data_removed_at__isnull=True,
        )
        return _forget(expired, OfferContact, "offer_id", OfferStatusChange)
