"""Writes about volunteers and organisations: sign-up, verification, vetting, pause."""

import contextlib
import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entraide.needs.categories import CATEGORY_BY_CODE, SENSITIVE_CODES
from entraide.platform.audit import AuditContext, audit_record
from entraide.platform.events import publish
from entraide.platform.models import OutboxChannel, Role
from entraide.platform.outbox import SmsCapReached, outbox_enqueue
from entraide.platform.phones import normalize_phone
from entraide.platform.ratelimit import anonymous_sms_limit_reached
from entraide.platform.roles import is_coordinator, role_grant
from entraide.platform.sms_policy import validate_sms_recipient
from entraide.platform.tokens import hash_token, token_matches
from entraide.platform.validation import ErrorCollector
from entraide.territory.models import Zone

from .events import VolunteerHomeChanged, VolunteerPaused, VolunteerSuspended
from .models import (
    PERIODS,
    VETTING_LIFECYCLE,
    VETTING_REASON_REQUIRED,
    WEEKDAYS,
    PhoneVerification,
    VettingEvent,
    VettingStatus,
    Volunteer,
)

CODE_WORDS = (
    "tilleul",
    "mésange",
    "lavande",
    "castor",
    "cerise",
    "hérisson",
    "bruyère",
    "colibri",
    "noisette",
    "écureuil",
    "mimosa",
    "pivoine",
    "renard",
    "sapin",
    "tournesol",
    "violette",
    "abeille",
    "campanule",
    "dauphin",
    "érable",
    "figuier",
    "goéland",
    "hibou",
    "iris",
    "jonquille",
    "koala",
    "libellule",
    "magnolia",
    "narcisse",
    "olivier",
    "papillon",
    "roseau",
)
EMAIL_SALT = "entraide.people.verify-email"
MAX_RADIUS_KM = 30
MAX_REFERENCES = 500
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES) | {
    "ar",
    "de",
    "it",
    "pl",
    "ro",
    "uk",
}


@dataclass(frozen=True)
class VolunteerInput:
    first_name: str
    email: str
    password: str
    phone: str
    zone: Zone
    home_lat: float | None
    home_lon: float | None
    radius_km: float
    categories: tuple[str, ...]
    languages: tuple[str, ...]
    availability: tuple[str, ...]
    max_open_assignments: int = 2
    max_per_week: int = 3
    has_car: bool = False
    preferred_language: str = "fr"
    references: str = ""
    home_address: str = ""


@dataclass(frozen=True)
class ProfileInput:
    """What a volunteer may change on their profile page."""

    zone: Zone
    radius_km: float
    categories: tuple[str, ...]
    languages: tuple[str, ...]
    availability: tuple[str, ...]
    max_open_assignments: int
    max_per_week: int
    has_car: bool
    home_address: str | None = None  # None: unchanged


def new_code_word() -> str:
    return f"{secrets.choice(CODE_WORDS)}-{secrets.randbelow(90) + 10}"


def _preference_errors(data: "VolunteerInput | ProfileInput") -> ErrorCollector:
    """What a volunteer chooses at sign-up and may change later: kinds of help,
    languages, weekly slots, radius and capacity."""
    errors = ErrorCollector()
    unknown = [c for c in data.categories if c not in CATEGORY_BY_CODE or c in SENSITIVE_CODES]
    if not data.categories or unknown:
        errors.add(
            "categories", gettext_lazy("Choose the kinds of help you can give."), "categories"
        )
    if not data.languages or set(data.languages) - LANGUAGE_CODES:
        errors.add("languages", gettext_lazy("Choose the languages you speak."), "languages")
    bad_slots = [
        s
        for s in data.availability
        if s.partition(":")[0] not in WEEKDAYS or s.partition(":")[2] not in PERIODS
    ]
    if bad_slots:
        errors.add("availability", gettext_lazy("Unknown availability slot."), "availability")
    if not 0.2 <= data.radius_km <= MAX_RADIUS_KM:
        errors.add("radius_km", gettext_lazy("The radius must be between 0.2 and 30 km."), "radius")
    if not (1 <= data.max_open_assignments <= 10 and 1 <= data.max_per_week <= 20):
        errors.add(
            "max_open_assignments",
            gettext_lazy("Capacity must be between 1 and 10 at once and 20 a week."),
            "capacity",
        )
    return errors


def _validate_volunteer(data: VolunteerInput) -> dict:
    errors = ErrorCollector()
    first_name = data.first_name.strip()
    if not first_name:
        errors.add("first_name", gettext_lazy("This field is required."), "required")
    email = data.email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.add("email", gettext_lazy("Enter a valid e-mail address."), "invalid_email")
    else:
        if get_user_model().objects.filter(username=email).exists():
            errors.add(
                "email",
                gettext_lazy("An account already uses this e-mail address. Log in instead."),
                "email_taken",
            )
    try:
        validate_password(data.password)
    except ValidationError as exc:
        errors.add_error("password", exc)
    phone = ""
    if data.phone.strip():
        try:
            phone = normalize_phone(data.phone)
            validate_sms_recipient(phone)
        except ValidationError as exc:
            errors.add_error("phone", exc)
    if len(data.references.strip()) > MAX_REFERENCES:
        errors.add(
            "references",
            gettext_lazy("Keep the references under %(max)d characters."),
            "too_long",
            max=MAX_REFERENCES,
        )
    errors.merge(_preference_errors(data))
    errors.raise_if_any()
    return {"first_name": first_name, "email": email, "phone": phone}


@transaction.atomic
def volunteer_sign_up(*, data: VolunteerInput, client_ip: str | None) -> Volunteer:
    """Create the account and the volunteer profile, waiting for vetting.

    The home point defaults to the zone's centre; it is private. A phone number must be a
    mobile the platform may text (``validate_sms_recipient``). Raise ValidationError
    (field → errors) on bad input, or when the visitor's connection, the number or the
    platform has had too many SMS codes (``sms_rate_limited``); nothing is stored or sent
    then.
    """
    clean = _validate_volunteer(data)
    user = get_user_model().objects.create_user(
        username=clean["email"],
        email=clean["email"],
        password=data.password,
        first_name=clean["first_name"],
    )
    volunteer = Volunteer.objects.create(
        user=user,
        first_name=clean["first_name"],
        phone=clean["phone"],
        zone=data.zone,
        home_lat=data.home_lat if data.home_lat is not None else data.zone.centroid_lat,
        home_lon=data.home_lon if data.home_lon is not None else data.zone.centroid_lon,
        home_address=" ".join(data.home_address.split())[:255],
        home_precision="exact" if data.home_lat is not None else "zone",
        radius_km=data.radius_km,
        categories=sorted(set(data.categories)),
        languages=sorted(set(data.languages)),
        availability=sorted(set(data.availability)),
        max_open_assignments=data.max_open_assignments,
        max_per_week=data.max_per_week,
        has_car=data.has_car,
        preferred_language=data.preferred_language,
        references=data.references.strip(),
        code_word=new_code_word(),
    )
    role_grant(user=user, role=Role.VOLUNTEER, zone=data.zone)
    VettingEvent.objects.create(
        volunteer=volunteer, to_status=VettingStatus.PENDING, reason="signed up"
    )
    _send_email_verification(volunteer)
    if volunteer.home_address:
        publish(VolunteerHomeChanged(volunteer_id=volunteer.pk))
    if volunteer.phone:
        volunteer_send_phone_code(volunteer=volunteer, client_ip=client_ip)
    return volunteer


def _send_email_verification(volunteer: Volunteer) -> None:
    token = signing.dumps(volunteer.pk, salt=EMAIL_SALT)
    url = settings.ENTRAIDE_PUBLIC_BASE_URL + reverse("people:verify_email", args=[token])
    with translation.override(volunteer.preferred_language):
        body = _(
            "Hello %(name)s,\n\nThank you for volunteering! Confirm your e-mail address "
            "by opening this link:\n%(url)s\n"
        ) % {"name": volunteer.first_name, "url": url}
        subject = _("Confirm your e-mail address")
    outbox_enqueue(
        channel=OutboxChannel.EMAIL,
        recipient=volunteer.user.email,
        subject=subject,
        body=body,
        delivery_key=f"verify-email:{volunteer.pk}",
        secret=True,
    )


def volunteer_verify_email(*, token: str, max_age_days: int = 7) -> Volunteer:
    """Raise ValidationError(code="invalid_link") for a forged or expired link."""
    try:
        pk = signing.loads(token, salt=EMAIL_SALT, max_age=max_age_days * 86400)
    except signing.BadSignature:
        raise ValidationError(
            gettext_lazy("This confirmation link is not valid or has expired."), code="invalid_link"
        ) from None
    volunteer = Volunteer.objects.get(pk=pk)
    if not volunteer.email_verified:
        volunteer.email_verified = True
        volunteer.save(update_fields=["email_verified"])
    return volunteer


@dataclass(frozen=True)
class VolunteerContact:
    """A volunteer's contact details, as revealed to one coordinator (and audited)."""

    first_name: str
    email: str
    phone: str
    phone_verified: bool
    email_verified: bool


def volunteer_contact_reveal(
    *, user: AbstractBaseUser, volunteer: Volunteer, purpose: str, audit: AuditContext | None
) -> VolunteerContact:
    """The one way to a volunteer's e-mail and phone: a coordinator of their zone, who
    says why. Writes exactly one audit row, ``read_contact`` when allowed,
    ``contact_denied`` otherwise.

    Raise ValidationError(code="purpose_required") without a purpose (nothing written),
    PermissionDenied when ``user`` does not coordinate the volunteer's zone.
    """
    purpose = purpose.strip()
    if not purpose:
        raise ValidationError(
            {"purpose": ValidationError(_PURPOSE_REQUIRED, code="purpose_required")}
        )
    subject = f"volunteer:{volunteer.pk}"
    if not is_coordinator(user, zone=volunteer.zone):
        audit_record(
            actor=user, action="contact_denied", subject=subject, purpose=purpose, context=audit
        )
        raise PermissionDenied(_("You cannot see this person's contact details."))
    audit_record(actor=user, action="read_contact", subject=subject, purpose=purpose, context=audit)
    return VolunteerContact(
        first_name=volunteer.first_name,
        email=volunteer.user.email,
        phone=volunteer.phone,
        phone_verified=volunteer.phone_verified,
        email_verified=volunteer.email_verified,
    )


_PURPOSE_REQUIRED = gettext_lazy("Say why you need this person's contact details.")


@transaction.atomic
def volunteer_vet(
    *,
    volunteer: Volunteer,
    to_status: str,
    by: AbstractBaseUser,
    reason: str = "",
    audit: AuditContext | None = None,
) -> Volunteer:
    """A coordinator decides on a volunteer: verify, refuse, ask for more information,
    suspend or reinstate (verify again). The move and its reason go to the vetting
    history and the audit log, and the volunteer is told by e-mail (and by SMS once their
    phone is proven), in their language.

    Raise PermissionDenied unless ``by`` coordinates the volunteer's zone, and
    ValidationError for a move the vetting cycle does not allow (``invalid_transition``)
    or a refusal, request for information or suspension without a reason
    (``reason_required``, keyed by ``reason``); nothing is stored or sent then.
    """
    if not is_coordinator(by, zone=volunteer.zone):
        raise PermissionDenied(_("Only a coordinator of this zone can vet volunteers."))
    reason = reason.strip()
    if to_status in VETTING_REASON_REQUIRED and not reason:
        raise ValidationError(
            {"reason": ValidationError(_REASON_REQUIRED[to_status], code="reason_required")}
        )
    locked = VETTING_LIFECYCLE.lock(volunteer)
    from_status = VETTING_LIFECYCLE.transition(
        locked,
        to_status,
        actor=by,
        reason=reason,
        history_model=VettingEvent,
        locked=True,
    )
    volunteer.vetting_status = locked.vetting_status
    audit_record(
        actor=by,
        action=f"people.vetting_{to_status}",
        subject=f"volunteer:{locked.pk}",
        purpose=f"{from_status} → {to_status}",
        context=audit,
    )
    if to_status == VettingStatus.SUSPENDED:
        publish(VolunteerSuspended(volunteer_id=locked.pk))
    _notify_vetting_decision(locked, from_status=from_status, reason=reason)
    return locked


_REASON_REQUIRED = {
    VettingStatus.SUSPENDED: gettext_lazy("Say why the volunteer is suspended."),
    VettingStatus.REFUSED: gettext_lazy("Say why the volunteer is refused."),
    VettingStatus.MORE_INFO: gettext_lazy("Say what information the volunteer should give."),
}


def _decision_message(volunteer: Volunteer, from_status: str, reason: str) -> tuple[str, str, str]:
    """(subject, e-mail body, SMS) telling the volunteer of the decision, in the active
    language."""
    url = settings.ENTRAIDE_PUBLIC_BASE_URL + reverse("matching:dashboard")
    values = {"name": volunteer.first_name, "url": url, "reason": reason}
    status = volunteer.vetting_status
    if status == VettingStatus.VERIFIED and from_status == VettingStatus.SUSPENDED:
        subject = _("Your volunteer profile is active again")
        body = _(
            "Hello %(name)s,\n\nA coordinator has lifted your suspension: you are a "
            "verified volunteer again, and requests near you will be proposed to you:\n%(url)s\n"
        )
        sms = _("Entraide: your suspension is lifted, you are verified again: %(url)s")
    elif status == VettingStatus.VERIFIED:
        subject = _("You are a verified volunteer")
        body = _(
            "Hello %(name)s,\n\nA coordinator has checked your profile: you are now a "
            "verified volunteer. Requests near you will be proposed to you; each one "
            "waits for your answer on your volunteer page:\n%(url)s\n"
        )
        sms = _(
            "Entraide: your volunteer profile is verified. Requests near you will be "
            "proposed to you: %(url)s"
        )
    elif status == VettingStatus.MORE_INFO:
        subject = _("A coordinator needs more information")
        body = _(
            "Hello %(name)s,\n\nThank you for volunteering. Before verifying your "
            "profile, a coordinator needs more information:\n\n%(reason)s\n\nReply to "
            "this message or update your profile:\n%(url)s\n"
        )
        sms = _("Entraide: a coordinator needs more information about you: %(reason)s")
    elif status == VettingStatus.REFUSED:
        subject = _("Your volunteer application")
        body = _(
            "Hello %(name)s,\n\nThank you for offering your help. After reviewing your "
            "profile, a coordinator has not verified it, for this reason:\n\n%(reason)s\n"
        )
        sms = _("Entraide: your volunteer profile was not verified: %(reason)s")
    else:
        subject = _("Your volunteer profile is suspended")
        body = _(
            "Hello %(name)s,\n\nA coordinator has suspended your volunteer profile: no "
            "request will be proposed to you for now. The reason:\n\n%(reason)s\n"
        )
        sms = _("Entraide: your volunteer profile is suspended: %(reason)s")
    return subject, body % values, sms % values


def _notify_vetting_decision(volunteer: Volunteer, *, from_status: str, reason: str) -> None:
    """Tell the volunteer of a decision, by e-mail and by SMS once their phone is proven
    (queued with the decision, in the same transaction)."""
    seq = volunteer.vetting.count()
    with translation.override(volunteer.preferred_language):
        subject, body, sms = _decision_message(volunteer, from_status, reason)
    kind = volunteer.vetting_status
    outbox_enqueue(
        channel=OutboxChannel.EMAIL,
        recipient=volunteer.user.email,
        subject=subject,
        body=body,
        delivery_key=f"{kind}:{volunteer.pk}:{seq}",
    )
    if volunteer.phone and volunteer.phone_verified:
        # Over the daily SMS cap, the e-mail alone carries the news.
        with contextlib.suppress(SmsCapReached):
            outbox_enqueue(
                channel=OutboxChannel.SMS,
                recipient=volunteer.phone,
                body=sms[:300],
                delivery_key=f"{kind}-sms:{volunteer.pk}:{seq}",
                language=volunteer.preferred_language,
            )


@transaction.atomic
def volunteer_update_profile(*, volunteer: Volunteer, data: ProfileInput) -> Volunteer:
    """The volunteer changes where, what, when and how much they help.

    A new zone or a new home address moves the (private) home point to the zone's
    centre until a task places the address (``people.locating``); a new zone also grants
    the volunteer role there. Raise ValidationError (field → errors) on bad input; nothing is
    changed then.
    """
    _preference_errors(data).raise_if_any()
    locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    address = locked.home_address
    if data.home_address is not None:
        address = " ".join(data.home_address.split())[:255]
    moved = locked.zone_id != data.zone.pk or address != locked.home_address
    if moved:
        # The home goes to the new zone's centre until the address is placed (a task).
        locked.home_address = address
        locked.home_lat = data.zone.centroid_lat
        locked.home_lon = data.zone.centroid_lon
        locked.home_precision = "zone"
        locked.home_geocoded_at = None
    if locked.zone_id != data.zone.pk:
        locked.zone = data.zone
        role_grant(user=locked.user, role=Role.VOLUNTEER, zone=data.zone)
    locked.radius_km = data.radius_km
    locked.categories = sorted(set(data.categories))
    locked.languages = sorted(set(data.languages))
    locked.availability = sorted(set(data.availability))
    locked.max_open_assignments = data.max_open_assignments
    locked.max_per_week = data.max_per_week
    locked.has_car = data.has_car
    locked.save(
        update_fields=[
            "zone",
            "home_lat",
            "home_lon",
            "home_address",
            "home_precision",
            "home_geocoded_at",
            "radius_km",
            "categories",
            "languages",
            "availability",
            "max_open_assignments",
            "max_per_week",
            "has_car",
        ]
    )
    if moved and locked.home_address:
        publish(VolunteerHomeChanged(volunteer_id=locked.pk))
    return locked


def volunteer_set_paused(*, volunteer: Volunteer, paused: bool) -> Volunteer:
    """A tired volunteer pauses: no new proposals; open proposals are handed back (by
    matching, which hears ``VolunteerPaused``)."""
    Volunteer.objects.filter(pk=volunteer.pk).update(paused=paused)
    volunteer.paused = paused
    if paused:
        publish(VolunteerPaused(volunteer_id=volunteer.pk))
    return volunteer


PHONE_CODE_MINUTES = 30
PHONE_CODE_MAX_ATTEMPTS = 5
PHONE_CODE_MAX_SENDS = 3


def _too_many_codes() -> ValidationError:
    return ValidationError(
        {
            "phone": ValidationError(
                gettext_lazy("Too many codes were sent. Contact the coordination team."),
                code="too_many_codes",
            )
        }
    )


@transaction.atomic
def volunteer_send_phone_code(*, volunteer: Volunteer, client_ip: str | None) -> None:
    """Send a fresh six-digit code by SMS (at most three times).

    Anyone can sign up, so this SMS is one a visitor can trigger: the number must be one
    the platform may text, and the sends are rate limited per connection (``client_ip``),
    per number and overall. Raise ValidationError keyed by ``phone``: ``sms_country`` or
    ``sms_not_mobile`` for such a number, ``sms_rate_limited`` over a rate limit,
    ``too_many_codes`` after three codes or at the number's daily SMS cap.
    """
    try:
        validate_sms_recipient(volunteer.phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.error_list}) from None
    PhoneVerification.objects.get_or_create(
        volunteer=volunteer, defaults={"code_hash": "", "expires_at": timezone.now()}
    )
    verification = PhoneVerification.objects.select_for_update().get(volunteer=volunteer)
    if verification.sent_count >= PHONE_CODE_MAX_SENDS:
        raise _too_many_codes()
    if anonymous_sms_limit_reached(ip=client_ip, phone=volunteer.phone):
        raise ValidationError(
            {
                "phone": ValidationError(
                    gettext_lazy(
                        "Too many SMS codes were asked for recently. Try again in an hour, "
                        "or leave the phone number empty for now."
                    ),
                    code="sms_rate_limited",
                )
            }
        )
    code = f"{secrets.randbelow(1_000_000):06d}"
    verification.code_hash = hash_token(code)
    verification.expires_at = timezone.now() + dt.timedelta(minutes=PHONE_CODE_MINUTES)
    verification.attempts = 0
    verification.sent_count += 1
    verification.save()
    with translation.override(volunteer.preferred_language):
        body = _(
            "Entraide: your confirmation code is %(code)s. It is valid for %(minutes)d minutes."
        ) % {"code": code, "minutes": PHONE_CODE_MINUTES}
    try:
        outbox_enqueue(
            channel=OutboxChannel.SMS,
            recipient=volunteer.phone,
            body=body,
            delivery_key=f"phone-code:{volunteer.pk}:{verification.sent_count}",
            secret=True,
        )
    except SmsCapReached:
        raise _too_many_codes() from None


def volunteer_confirm_phone(*, volunteer: Volunteer, code: str) -> Volunteer:
    """Raise ValidationError (wrong_code, expired_code, too_many_attempts).

    Each guess first takes one of the five attempts with a single conditional UPDATE, so
    parallel guesses cannot share an attempt: at most five are ever compared.
    """
    now = timezone.now()
    verification = PhoneVerification.objects.filter(volunteer=volunteer).first()
    if verification is None or verification.expires_at < now:
        raise ValidationError(
            gettext_lazy("This code has expired. Ask for a new one."), code="expired_code"
        )
    taken = PhoneVerification.objects.filter(
        pk=verification.pk, attempts__lt=PHONE_CODE_MAX_ATTEMPTS, expires_at__gte=now
    ).update(attempts=F("attempts") + 1)
    if not taken:
        raise ValidationError(
            gettext_lazy("Too many wrong codes. Ask for a new one."), code="too_many_attempts"
        )
    if not token_matches(code.strip(), verification.code_hash):
        raise ValidationError(gettext_lazy("This code is not right."), code="wrong_code")
    Volunteer.objects.filter(pk=volunteer.pk).update(phone_verified=True)
    PhoneVerification.objects.filter(pk=verification.pk).delete()
    volunteer.phone_verified = True
    return volunteer
