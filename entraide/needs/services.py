"""Writes of requests and offers. Every channel (web, API, phone, SMS, operator, back
office) calls these functions, so the same rules hold whatever the entry point.

Validation lives here, in one place: each service raises ``ValidationError`` with a
dict of field → errors, each error with a code and a translated message, and stores
nothing when it does.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from entraide.platform.events import publish
from entraide.platform.models import OutboxChannel
from entraide.platform.outbox import SmsCapReached, outbox_enqueue
from entraide.platform.phones import is_mobile, normalize_phone, phone_region
from entraide.platform.privacy import scrub_public_text, snap_to_grid
from entraide.platform.roles import coordinators_covering
from entraide.platform.tokens import hash_token, new_private_token, new_reference
from entraide.platform.transitions import Lifecycle
from entraide.platform.validation import ErrorCollector
from entraide.territory.models import Zone

from . import events
from .categories import CATEGORY_BY_CODE, SENSITIVE_CODES
from .models import (
    Channel,
    HelpOffer,
    HelpRequest,
    OfferCategory,
    OfferContact,
    OfferStatusChange,
    RequestContact,
    RequestStatusChange,
    TimeOfDay,
    Urgency,
)
from .states import (
    OFFER_CLOSED,
    OFFER_LIFECYCLE,
    REQUEST_CLOSED,
    REQUEST_LIFECYCLE,
    OfferStatus,
    RequestStatus,
)

DESCRIPTION_MIN = 5
DESCRIPTION_MAX = 1000
AVAILABILITY_MAX = 200
FIRST_NAME_MAX = 60
ADDRESS_MAX = 255
MAX_WINDOW_DAYS = 90

logger = logging.getLogger(__name__)


class Actor:
    """Who moved an entry, written to its status history."""

    REQUESTER = "requester"
    HELPER = "helper"
    COORDINATOR = "coordinator"
    OPERATOR = "operator"
    SYSTEM = "system"


@dataclass(frozen=True)
class ContactInput:
    first_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class RequestInput:
    category: str
    description: str
    urgency: int = Urgency.NORMAL
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    time_of_day: str = TimeOfDay.ANY
    contact: ContactInput = field(default_factory=ContactInput)


@dataclass(frozen=True)
class OfferInput:
    categories: tuple[str, ...]
    description: str
    availability: str = ""
    contact: ContactInput = field(default_factory=ContactInput)


@dataclass(frozen=True)
class Created:
    """A new entry and its private token: the only time the token is known in clear."""

    entry: HelpRequest | HelpOffer
    token: str


def _clean_text(
    errors: ErrorCollector, name: str, value: str, *, required: bool, maximum: int
) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            errors.add(name, _("This field is required."), "required")
        return value
    if required and len(value) < DESCRIPTION_MIN:
        errors.add(
            name, _("Please write at least %(min)d characters."), "too_short", min=DESCRIPTION_MIN
        )
    if len(value) > maximum:
        errors.add(
            name,
            _("Please keep it under %(max)d characters (it has %(length)d)."),
            "too_long",
            max=maximum,
            length=len(value),
        )
    return value


def _clean_contact(errors: ErrorCollector, contact: ContactInput) -> ContactInput:
    phone = (contact.phone or "").strip()
    email = (contact.email or "").strip().lower()
    if not phone and not email:
        errors.add(
            "phone",
            _("Give a phone number or an e-mail address so that a helper can reach you."),
            "missing_contact",
        )
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            errors.add_error("phone", exc)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add(
                "email",
                _("“%(value)s” is not a valid e-mail address."),
                "invalid_email",
                value=email,
            )
    first_name = (contact.first_name or "").strip()
    if len(first_name) > FIRST_NAME_MAX:
        errors.add(
            "first_name",
            _("Please keep it under %(max)d characters (it has %(length)d)."),
            "too_long",
            max=FIRST_NAME_MAX,
            length=len(first_name),
        )
    address = (contact.address or "").strip()
    if len(address) > ADDRESS_MAX:
        errors.add(
            "address",
            _("Please keep it under %(max)d characters (it has %(length)d)."),
            "too_long",
            max=ADDRESS_MAX,
            length=len(address),
        )
    lat, lon = contact.lat, contact.lon
    if (lat is None) != (lon is None) or (
        lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)
    ):
        errors.add("lat", _("The location is not a valid latitude and longitude."), "invalid_point")
    return ContactInput(first_name, phone, email, address, lat, lon)


def _clean_category(errors: ErrorCollector, name: str, code: str, *, allow_sensitive: bool) -> None:
    if code not in CATEGORY_BY_CODE:
        errors.add(
            name, _("“%(value)s” is not a category of help."), "unknown_category", value=code
        )
    elif code in SENSITIVE_CODES and not allow_sensitive:
        errors.add(
            name,
            _("This kind of help is given by professional partners, not offered on the board."),
            "sensitive_category",
        )


def _clean_request(data: RequestInput, *, today: dt.date) -> RequestInput:
    errors = ErrorCollector()
    _clean_category(errors, "category", data.category, allow_sensitive=True)
    description = _clean_text(
        errors, "description", data.description, required=True, maximum=DESCRIPTION_MAX
    )
    if data.urgency not in Urgency.values:
        errors.add("urgency", _("Choose how urgent it is."), "unknown_urgency")
    if data.time_of_day not in TimeOfDay.values:
        errors.add("time_of_day", _("Choose a time of day."), "unknown_time_of_day")
    if data.window_end and data.window_end < today:
        errors.add("window_end", _("This date is already past."), "date_in_past")
    if data.window_start and data.window_end and data.window_end < data.window_start:
        errors.add("window_end", _("The end date is before the start date."), "window_reversed")
    if data.window_start and data.window_start > today + dt.timedelta(days=MAX_WINDOW_DAYS):
        errors.add(
            "window_start",
            _("Requests can be posted at most %(days)d days ahead."),
            "window_too_far",
            days=MAX_WINDOW_DAYS,
        )
    contact = _clean_contact(errors, data.contact)
    errors.raise_if_any()
    return replace(data, description=description, contact=contact)


def help_request_check(*, data: RequestInput, already_wrong: Iterable[str] = ()) -> None:
    """Check a request before anything else is done with it, so that every mistake is
    shown after one submission. Fields in ``already_wrong`` (the form's own parsing, the
    zone) are left out: their error is already known. Raise ValidationError (field →
    errors) with all the others."""
    try:
        _clean_request(data, today=timezone.localdate())
    except ValidationError as exc:
        skip = set(already_wrong)
        rest = {name: errors for name, errors in exc.error_dict.items() if name not in skip}
        if rest:
            raise ValidationError(rest) from None


def _clean_offer(data: OfferInput) -> OfferInput:
    errors = ErrorCollector()
    categories = tuple(dict.fromkeys(data.categories))
    if not categories:
        errors.add("categories", _("Choose at least one kind of help."), "required")
    for code in categories:
        _clean_category(errors, "categories", code, allow_sensitive=False)
    description = _clean_text(
        errors, "description", data.description, required=True, maximum=DESCRIPTION_MAX
    )
    availability = _clean_text(
        errors, "availability", data.availability, required=False, maximum=AVAILABILITY_MAX
    )
    contact = _clean_contact(errors, data.contact)
    errors.raise_if_any()
    return replace(
        data,
        categories=categories,
        description=description,
        availability=availability,
        contact=contact,
    )


def help_offer_check(*, data: OfferInput, already_wrong: Iterable[str] = ()) -> None:
    """Check an offer before anything else is done with it, so that every mistake is
    shown after one submission (fields in ``already_wrong`` are left out, as for
    :func:`help_request_check`). Raise ValidationError (field → errors) with the others."""
    try:
        _clean_offer(data)
    except ValidationError as exc:
        skip = set(already_wrong)
        rest = {name: errors for name, errors in exc.error_dict.items() if name not in skip}
        if rest:
            raise ValidationError(rest) from None


def _public_point(zone: Zone, contact: ContactInput) -> tuple[float | None, float | None]:
    if contact.lat is not None and contact.lon is not None:
        return snap_to_grid(contact.lat, contact.lon)
    return zone.centroid_lat, zone.centroid_lon


def _contact_fields(contact: ContactInput) -> dict:
    return {
        "first_name": contact.first_name,
        "phone": contact.phone,
        "email": contact.email,
        "address": contact.address,
        "lat": contact.lat,
        "lon": contact.lon,
    }


def _public_text(text: str, contact: ContactInput) -> str:
    """Free text as shown in public: scrubbed, the author's own first name included."""
    return scrub_public_text(text, phone_region(), names=(contact.first_name,))


def _new_entry_fields(zone: Zone, contact: ContactInput, description: str) -> tuple[dict, str]:
    token = new_private_token()
    public_lat, public_lon = _public_point(zone, contact)
    fields = {
        "zone": zone,
        "description": description,
        "public_description": _public_text(description, contact),
        "public_lat": public_lat,
        "public_lon": public_lon,
        "private_token_hash": hash_token(token),
        "private_link_expires_at": timezone.now()
        + dt.timedelta(days=settings.ENTRAIDE_PRIVATE_LINK_DAYS),
    }
    return fields, token


def _save_with_unique_reference(instance: HelpRequest | HelpOffer, prefix: str) -> None:
    """References are short and random; on the rare collision, draw another."""
    for _attempt in range(10):
        instance.reference = new_reference(prefix)
        try:
            with transaction.atomic():
                instance.save()
            return
        except IntegrityError:
            if type(instance).objects.filter(reference=instance.reference).exists():
                continue
            raise
    raise RuntimeError("Could not draw a unique reference.")


def help_request_create(
    *,
    zone: Zone,
    data: RequestInput,
    channel: str = Channel.WEB,
    language: str = "fr",
    actor: AbstractBaseUser | None = None,
    send_link: bool = False,
) -> Created:
    """Record a request for help and return it with its private token.

    With ``send_link``, the private link is also sent to the phone (SMS) and the e-mail
    given, as secret outbox messages: channels that confirm by SMS themselves leave it off.
    Raise ValidationError (field → errors) when the input is not valid; nothing is stored.

    The request, its contact, its first status change, its event and its private link are
    written in one transaction. On the rare collision of the random reference the whole
    transaction is undone and written again with another one — rather than a savepoint
    around the first insert, which would cost two more round trips on every request.
    """
    data = _clean_request(data, today=timezone.localdate())
    fields, token = _new_entry_fields(zone, data.contact, data.description)
    created_by = actor if actor and actor.is_authenticated else None
    for _attempt in range(10):
        reference = new_reference("R")
        try:
            with transaction.atomic():
                help_request = _help_request_store(
                    reference, fields, data, channel, language, created_by
                )
                if send_link:
                    _send_private_link(help_request, data.contact, token)
        except IntegrityError:
            if HelpRequest.objects.filter(reference=reference).exists():
                continue
            raise
        return Created(entry=help_request, token=token)
    raise RuntimeError("Could not draw a unique reference.")


def _help_request_store(
    reference: str,
    fields: dict,
    data: RequestInput,
    channel: str,
    language: str,
    created_by: AbstractBaseUser | None,
) -> HelpRequest:
    help_request = HelpRequest(
        **fields,
        reference=reference,
        category=data.category,
        urgency=data.urgency,
        window_start=data.window_start,
        window_end=data.window_end,
        time_of_day=data.time_of_day,
        channel=channel,
        language=language,
        created_by=created_by,
    )
    help_request.save(force_insert=True)
    RequestContact.objects.create(help_request=help_request, **_contact_fields(data.contact))
    RequestStatusChange.objects.create(
        help_request=help_request,
        to_status=RequestStatus.OPEN,
        actor=help_request.created_by,
        actor_label=Actor.OPERATOR if help_request.created_by else Actor.REQUESTER,
        reason=f"created via {channel}",
    )
    _publish(events.RequestCreated, help_request, actor_label=Actor.REQUESTER)
    return help_request


def _private_link_texts(entry: HelpRequest | HelpOffer) -> tuple[str, str, str]:
    """The SMS, subject and e-mail body of an entry's private link, in its language."""
    if isinstance(entry, HelpOffer):
        return (
            gettext(
                "Entraide: your offer %(reference)s is registered. Your private link to "
                "follow, change or withdraw it: %(url)s Keep it to yourself."
            ),
            gettext("Your offer of help %(reference)s"),
            gettext(
                "Hello,\n\nThank you: your offer of help %(reference)s is registered and "
                "the coordinators of your zone have been told.\n\nTo be put in touch with "
                "neighbours, become a verified volunteer: the link below shows how.\n\n"
                "This private link lets you follow, change or withdraw your offer for "
                "%(days)d days, without an account:\n%(url)s\n\nKeep it to yourself: "
                "whoever has it can change your offer.\n"
            ),
        )
    return (
        gettext(
            "Entraide: your request %(reference)s is registered. Your private link to follow, "
            "change or cancel it: %(url)s Keep it to yourself."
        ),
        gettext("Your request for help %(reference)s"),
        gettext(
            "Hello,\n\nYour request for help %(reference)s is registered. We are looking "
            "for a volunteer near you, and you will be told who is coming.\n\n"
            "This private link lets you follow, change or cancel your request for "
            "%(days)d days, without an account:\n%(url)s\n\nKeep it to yourself: whoever "
            "has it can change your request.\n"
        ),
    )


def _send_private_link(entry: HelpRequest | HelpOffer, contact: ContactInput, token: str) -> None:
    """The private link opens the entry without any account: it is a secret, so its
    text is dropped from the outbox once delivered. SMS only to a mobile; a full SMS
    allowance for the day only skips the SMS."""
    kind = "offer" if isinstance(entry, HelpOffer) else "request"
    path = reverse(f"needs:{kind}_private", kwargs={"reference": entry.reference, "token": token})
    facts = {
        "reference": entry.reference,
        "url": settings.ENTRAIDE_PUBLIC_BASE_URL + path,
        "days": settings.ENTRAIDE_PRIVATE_LINK_DAYS,
    }
    key = f"private-link:{entry.reference}"
    with translation.override(entry.language):
        sms, subject, body = _private_link_texts(entry)
    if contact.phone and is_mobile(contact.phone):
        try:
            outbox_enqueue(
                channel=OutboxChannel.SMS,
                recipient=contact.phone,
                body=sms % facts,
                delivery_key=f"{key}:sms",
                language=entry.language,
                secret=True,
            )
        except SmsCapReached:
            logger.warning("SMS cap reached: private link of %s not texted", facts["reference"])
    if contact.email:
        outbox_enqueue(
            channel=OutboxChannel.EMAIL,
            recipient=contact.email,
            subject=subject % facts,
            body=body % facts,
            delivery_key=f"{key}:email",
            language=entry.language,
            secret=True,
        )


def _publish(
    event_type: type[events.RequestEvent],
    help_request: HelpRequest,
    *,
    actor_label: str,
    reason: str = "",
) -> None:
    publish(
        event_type(
            help_request_id=help_request.pk,
            reference=help_request.reference,
            category=help_request.category,
            actor_label=actor_label,
            reason=reason[:255],
        )
    )


@transaction.atomic
def help_request_update(
    *, help_request: HelpRequest, data: RequestInput, actor_label: str = Actor.REQUESTER
) -> HelpRequest:
    """Replace the editable fields of a request that is still live.

    Raise ValidationError with code ``request_closed`` when it is done, cancelled or
    expired, and field errors when the new values are not valid.
    """
    locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    if locked.status in REQUEST_CLOSED:
        raise ValidationError(
            _("This request is %(status)s: it can no longer be changed."),
            code="request_closed",
            params={"status": locked.get_status_display().lower()},
        )
    data = _clean_request(replace(data, category=locked.category), today=timezone.localdate())
    locked.description = data.description
    locked.public_description = _public_text(data.description, data.contact)
    locked.urgency = data.urgency
    locked.window_start = data.window_start
    locked.window_end = data.window_end
    locked.time_of_day = data.time_of_day
    locked.public_lat, locked.public_lon = _public_point(locked.zone, data.contact)
    locked.screened_at = None
    locked.save()
    RequestContact.objects.update_or_create(
        help_request=locked, defaults=_contact_fields(data.contact)
    )
    _publish(events.RequestUpdated, locked, actor_label=actor_label)
    return locked


def help_request_record_screening(
    *, help_request_id: int, screened_description: str, withhold_public_text: bool
) -> bool:
    """Record that the text ``screened_description`` was read for distress, and withhold
    its public copy from the board when the reader asks to.

    Nothing is recorded when the text has changed since it was read (the new text is
    screened on its own), so a fresh edit can never be marked screened by an old read.
    Return whether it was recorded.
    """
    changes: dict = {"screened_at": timezone.now()}
    if withhold_public_text:
        changes["public_description"] = ""
    return bool(
        HelpRequest.objects.filter(pk=help_request_id, description=screened_description).update(
            **changes
        )
    )


def _transition(
    lifecycle: Lifecycle,
    history_model: type[RequestStatusChange | OfferStatusChange],
    entry: HelpRequest | HelpOffer,
    to_status: str,
    actor_label: str,
    actor: AbstractBaseUser | None,
    reason: str,
) -> str:
    """Lock the row, check the move against the life cycle, record who/when/why.

    ``entry`` then holds the new status; return the status it came from."""
    return lifecycle.transition(
        entry,
        to_status,
        actor=actor,
        reason=reason,
        history_model=history_model,
        history_fields={"actor_label": actor_label},
        changes={"status_changed_at": timezone.now()},
    )


@transaction.atomic
def help_request_transition(
    *,
    help_request: HelpRequest,
    to_status: str,
    actor_label: str,
    actor: AbstractBaseUser | None = None,
    reason: str = "",
) -> HelpRequest:
    """Move a request along its life cycle, recording who, when and why.

    The row is locked first, so two concurrent moves cannot both start from the same
    status. Raise ValidationError(code="invalid_transition") when the move is not allowed.
    """
    from_status = _transition(
        REQUEST_LIFECYCLE, RequestStatusChange, help_request, to_status, actor_label, actor, reason
    )
    event_type = _event_of_move(from_status, to_status)
    if event_type:
        _publish(event_type, help_request, actor_label=actor_label, reason=reason)
    return help_request


def _event_of_move(from_status: str | None, to_status: str) -> type[events.RequestEvent] | None:
    """The event other apps hear about. "Volunteer found" and "in progress" are moves
    matching itself makes, so they publish nothing."""
    if to_status == RequestStatus.OPEN and from_status != RequestStatus.OPEN:
        return events.RequestReopened
    return {
        RequestStatus.CANCELLED: events.RequestCancelled,
        RequestStatus.EXPIRED: events.RequestExpired,
        RequestStatus.DONE: events.RequestClosed,
    }.get(to_status)


def help_request_cancel(
    *, help_request: HelpRequest, actor_label: str = Actor.REQUESTER, reason: str = ""
) -> HelpRequest:
    if help_request.status in REQUEST_CLOSED:
        raise ValidationError(
            _("This request is %(status)s: it can no longer be changed."),
            code="request_closed",
            params={"status": help_request.get_status_display().lower()},
        )
    return help_request_transition(
        help_request=help_request,
        to_status=RequestStatus.CANCELLED,
        actor_label=actor_label,
        reason=reason,
    )


def help_requests_expire_overdue(*, today: dt.date | None = None) -> int:
    """Expire live requests whose time window has ended. Safe to run twice."""
    today = today or timezone.localdate()
    overdue = HelpRequest.objects.filter(status=RequestStatus.OPEN, window_end__lt=today).only("pk")
    count = 0
    for help_request in overdue.iterator():
        help_request_transition(
            help_request=help_request,
            to_status=RequestStatus.EXPIRED,
            actor_label=Actor.SYSTEM,
            reason="time window ended",
        )
        count += 1
    return count


@transaction.atomic
def help_offer_create(
    *,
    zone: Zone,
    data: OfferInput,
    channel: str = Channel.WEB,
    language: str = "fr",
    actor: AbstractBaseUser | None = None,
    send_link: bool = False,
) -> Created:
    """Record an offer of help and return it with its private token.

    Anonymous offers are not matched: the zone's coordinators are told of it by e-mail
    (reference and categories, never the contact), and the helper is invited to sign up
    as a verified volunteer. With ``send_link``, the private link is also sent to the
    phone (SMS) and the e-mail given, as secret outbox messages.
    Raise ValidationError (field → errors) when the input is not valid; nothing is stored.
    """
    data = _clean_offer(data)
    fields, token = _new_entry_fields(zone, data.contact, data.description)
    offer = HelpOffer(
        **fields,
        availability=data.availability,
        public_availability=_public_text(data.availability, data.contact),
        channel=channel,
        language=language,
        created_by=actor if actor and actor.is_authenticated else None,
    )
    _save_with_unique_reference(offer, "O")
    _set_offer_categories(offer, data.categories)
    OfferContact.objects.create(offer=offer, **_contact_fields(data.contact))
    OfferStatusChange.objects.create(
        offer=offer,
        to_status=OfferStatus.OPEN,
        actor=offer.created_by,
        actor_label=Actor.OPERATOR if offer.created_by else Actor.HELPER,
        reason=f"created via {channel}",
    )
    _tell_coordinators_of_offer(offer, data.categories)
    if send_link:
        _send_private_link(offer, data.contact, token)
    return Created(entry=offer, token=token)


def _tell_coordinators_of_offer(offer: HelpOffer, categories: Iterable[str]) -> None:
    """E-mail the coordinators covering the offer's zone: what and where, no contact."""
    recipients = sorted(
        set(
            coordinators_covering(zone=offer.zone).exclude(email="").values_list("email", flat=True)
        )
    )
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        facts = {
            "reference": offer.reference,
            "zone": offer.zone.name,
            "categories": ", ".join(str(CATEGORY_BY_CODE[code].label) for code in categories),
        }
        subject = gettext("New offer of help %(reference)s in %(zone)s") % facts
        body = (
            gettext(
                "Hello,\n\nA neighbour without an account offers help in %(zone)s "
                "(reference %(reference)s): %(categories)s.\n\nThey have been invited to "
                "sign up as a verified volunteer; until then the offer is not matched. You "
                "can find it in the back office under its reference.\n"
            )
            % facts
        )
    for email in recipients:
        outbox_enqueue(
            channel=OutboxChannel.EMAIL,
            recipient=email,
            subject=subject,
            body=body,
            delivery_key=f"offer-created:{offer.reference}:{email}"[:120],
            language=settings.LANGUAGE_CODE,
        )


def _set_offer_categories(offer: HelpOffer, categories: Iterable[str]) -> None:
    offer.categories.all().delete()
    OfferCategory.objects.bulk_create(
        [OfferCategory(offer=offer, category=code) for code in categories]
    )


@transaction.atomic
def help_offer_update(*, offer: HelpOffer, data: OfferInput) -> HelpOffer:
    """Replace the editable fields of a live offer (same errors as creation)."""
    locked = HelpOffer.objects.select_for_update().get(pk=offer.pk)
    if locked.status in OFFER_CLOSED:
        raise ValidationError(
            _("This offer is %(status)s: it can no longer be changed."),
            code="offer_closed",
            params={"status": locked.get_status_display().lower()},
        )
    data = _clean_offer(data)
    locked.description = data.description
    locked.public_description = _public_text(data.description, data.contact)
    locked.availability = data.availability
    locked.public_availability = _public_text(data.availability, data.contact)
    locked.public_lat, locked.public_lon = _public_point(locked.zone, data.contact)
    locked.save()
    _set_offer_categories(locked, data.categories)
    OfferContact.objects.update_or_create(offer=locked, defaults=_contact_fields(data.contact))
    return locked


@transaction.atomic
def help_offer_transition(
    *,
    offer: HelpOffer,
    to_status: str,
    actor_label: str,
    actor: AbstractBaseUser | None = None,
    reason: str = "",
) -> HelpOffer:
    """Move an offer along its life cycle (open ⇄ paused → withdrawn/expired)."""
    _transition(OFFER_LIFECYCLE, OfferStatusChange, offer, to_status, actor_label, actor, reason)
    return offer
