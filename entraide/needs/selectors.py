"""Reads of requests and offers: the public board, and the private-link fetch."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.platform.tokens import PrivateLinkError, token_matches
from entraide.territory.models import Zone

from .categories import PUBLIC_CODES
from .models import HelpOffer, HelpRequest, OfferCategory
from .states import OfferStatus, RequestStatus

# The only columns a public output may read: the board, its RSS feed, the public API,
# open data, posters and the coordinators' exports "without contact data" are built
# from these lists, and tests/trust/test_public_output.py checks every one of them
# against them. Free text appears only scrubbed (``public_*`` columns, written by the
# services through ``platform.privacy.scrub_public_text``), never as typed.
PUBLIC_REQUEST_FIELDS = (
    "id",
    "reference",
    "zone",
    "category",
    "urgency",
    "public_description",
    "public_lat",
    "public_lon",
    "window_start",
    "window_end",
    "time_of_day",
    "status",
    "created_at",
)
PUBLIC_OFFER_FIELDS = (
    "id",
    "reference",
    "zone",
    "public_description",
    "public_availability",
    "public_lat",
    "public_lon",
    "status",
    "created_at",
)
PUBLIC_OFFER_CATEGORY_FIELDS = ("id", "offer", "category")
# Properties a public output may show, and the public field each is computed from.
PUBLIC_REQUEST_PROPERTIES = {"category_label": "category", "get_urgency_display": "urgency"}
PUBLIC_OFFER_PROPERTIES = {"category_codes": "categories", "category_labels": "categories"}
# Columns that stay inside the platform even though they say nothing about a person.
INTERNAL_FIELDS = ("id", "status")


def public_api_names(fields: tuple[str, ...]) -> list[str]:
    """The public API's names of public columns: ``public_description`` → ``description``."""
    renamed = {"public_description": "description", "public_availability": "availability"}
    return [renamed.get(name, name) for name in fields if name not in INTERNAL_FIELDS]


def board_requests(
    *, zone: Zone, category: str | None = None, urgency: int | None = None
) -> QuerySet[HelpRequest]:
    """Open, non-sensitive requests of a zone, most urgent first."""
    queryset = (
        HelpRequest.objects.filter(zone=zone, status=RequestStatus.OPEN, category__in=PUBLIC_CODES)
        .only(*PUBLIC_REQUEST_FIELDS)
        .select_related("zone")
        .order_by("-urgency", "-created_at", "-id")
    )
    if category:
        queryset = queryset.filter(category=category)
    if urgency is not None:
        queryset = queryset.filter(urgency=urgency)
    return queryset


def board_offers(*, zone: Zone, category: str | None = None) -> QuerySet[HelpOffer]:
    """Available offers of a zone, newest first."""
    queryset = (
        HelpOffer.objects.filter(zone=zone, status=OfferStatus.OPEN)
        .only(*PUBLIC_OFFER_FIELDS)
        .select_related("zone")
        .prefetch_related(
            Prefetch(
                "categories",
                queryset=OfferCategory.objects.only(*PUBLIC_OFFER_CATEGORY_FIELDS).order_by("id"),
            )
        )
        .order_by("-created_at", "-id")
    )
    if category:
        queryset = queryset.filter(categories__category=category).distinct()
    return queryset


def _by_private_link(model, reference: str, token: str):
    entry = model.objects.select_related("zone").filter(reference=reference).first()
    if entry is None or not token_matches(token, entry.private_token_hash):
        raise PrivateLinkError(
            "invalid_link", _("This private link is not valid. Check that it was copied whole.")
        )
    if entry.private_link_expires_at < timezone.now():
        raise PrivateLinkError(
            "expired_link",
            _("This private link has expired. Contact the hotline if you still need it."),
        )
    return entry


def help_request_by_private_link(*, reference: str, token: str) -> HelpRequest:
    """The one way a resident without an account reaches their request.

    Raise PrivateLinkError (``invalid_link`` or ``expired_link``); an unknown reference
    and a wrong token give the same answer, so references cannot be probed.
    """
    return _by_private_link(HelpRequest, reference, token)


def help_offer_by_private_link(*, reference: str, token: str) -> HelpOffer:
    """As :func:`help_request_by_private_link`, for offers."""
    return _by_private_link(HelpOffer, reference, token)


def entries_of_contact(*, phone: str = "", email: str = "") -> list[HelpRequest | HelpOffer]:
    """The requests and offers made with this (proven) phone or e-mail whose private link
    still works, newest first: what a resident who lost their links gets back."""
    found: list[HelpRequest | HelpOffer] = []
    for model, contact in ((HelpRequest, "contact"), (HelpOffer, "contact")):
        entries = model.objects.filter(
            private_link_expires_at__gt=timezone.now(), personal_data_removed_at=None
        ).select_related("zone")
        if phone:
            entries = entries.filter(**{f"{contact}__phone": phone})
        else:
            entries = entries.filter(**{f"{contact}__email__iexact": email})
        found.extend(entries)
    return sorted(found, key=lambda entry: entry.created_at, reverse=True)
