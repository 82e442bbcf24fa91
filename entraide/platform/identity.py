"""Proof of contact: before a resident downloads or erases everything held about a phone
number or an e-mail across the platform, they prove they hold it.

A phone gets a six-digit code by SMS, an e-mail a one-time link, both through the outbox
as secret messages (their text is dropped once delivered). Sending and checking are
rate-limited per IP and per phone/e-mail, every step is audited, and only hashes of the
codes and links are stored.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import audit_record, client_ip
from .data_rights import (
    Export,
    PersonKey,
    identifier_hash,
    personal_data_erase,
    personal_data_export,
    resident_key,
)
from .models import ContactProof, OutboxChannel, ProofKind
from .outbox import SmsCapReached, outbox_enqueue
from .phones import normalize_phone
from .ratelimit import limit_reached
from .tokens import hash_token, new_private_token

PROOF_MINUTES = 15
MAX_CODE_ATTEMPTS = 5
VERIFIED_MINUTES = 30
SENDS_PER_HOUR_PER_IP = 5
SENDS_PER_HOUR_PER_CONTACT = 3
CHECKS_PER_HOUR_PER_IP = 20
SESSION_PROOF = "contact_proof_id"
SESSION_IDENTITY = "proven_contact"
SESSION_LINK = "contact_proof_link"

TOO_MANY = gettext_lazy("Too many attempts. Wait an hour, or contact the hotline.")
WRONG_CODE = gettext_lazy("This code is not the one we sent. Check it and try again.")
EXPIRED = gettext_lazy("This code or link has expired or was already used. Ask for a new one.")


@dataclass(frozen=True)
class ProvenContact:
    kind: str
    contact: str


def _normalise(raw: str) -> tuple[str, str]:
    raw = raw.strip()
    if "@" in raw:
        try:
            validate_email(raw)
        except ValidationError:
            raise ValidationError(
                {"contact": _("Enter a valid e-mail address.")}, code="invalid"
            ) from None
        return ProofKind.EMAIL, raw.lower()
    try:
        return ProofKind.PHONE, normalize_phone(raw)
    except ValidationError:
        raise ValidationError(
            {"contact": _("Enter your phone number or your e-mail address.")}, code="invalid"
        ) from None


def _limited(scope: str, ident: str, limit: int) -> bool:
    return limit_reached(scope=scope, ident=ident, limit=limit, window_seconds=3600)


def contact_proof_start(
    *, raw_contact: str, request: HttpRequest, purpose: str = "data_rights"
) -> ContactProof:
    """Send a code (phone) or a one-time link (e-mail) to prove ``raw_contact``, for the
    ``purpose`` the message names: "data_rights", or "lost_link" (a resident recovering
    the private links of their entries).

    Raise ValidationError keyed ``contact``: ``invalid`` input, or ``too_many`` sends from
    this connection or to this phone/e-mail in the last hour (nothing is sent then).
    """
    kind, contact = _normalise(raw_contact)
    ip = client_ip(request) or "unknown"
    if _limited("proof-send-ip", ip, SENDS_PER_HOUR_PER_IP) or _limited(
        "proof-send-contact", identifier_hash(contact), SENDS_PER_HOUR_PER_CONTACT
    ):
        raise ValidationError({"contact": TOO_MANY}, code="too_many")
    secret = f"{secrets.randbelow(1_000_000):06d}" if kind == ProofKind.PHONE else None
    secret = secret or new_private_token()
    try:
        with transaction.atomic():
            proof = ContactProof.objects.create(
                kind=kind,
                contact=contact,
                secret_hash=hash_token(secret),
                expires_at=timezone.now() + dt.timedelta(minutes=PROOF_MINUTES),
            )
            _send(proof, secret, language=translation.get_language() or "fr", purpose=purpose)
    except SmsCapReached:
        raise ValidationError({"contact": TOO_MANY}, code="too_many") from None
    audit_record(
        actor=None,
        action="contact_proof_sent",
        subject=f"proof:{proof.pk}",
        purpose=f"data rights, {kind}",
        request=request,
    )
    return proof


def _send(proof: ContactProof, secret: str, *, language: str, purpose: str) -> None:
    lost_link = purpose == "lost_link"
    if proof.kind == ProofKind.PHONE:
        if lost_link:
            text = _(
                "Entraide: your code to find your requests again is %(code)s. It is valid "
                "for %(minutes)d minutes. Never give it to anyone."
            )
        else:
            text = _(
                "Entraide: your code to reach your data is %(code)s. It is valid for "
                "%(minutes)d minutes. Never give it to anyone."
            )
        body = text % {"code": secret, "minutes": PROOF_MINUTES}
        outbox_enqueue(
            channel=OutboxChannel.SMS,
            recipient=proof.contact,
            body=body,
            delivery_key=f"contact-proof:{proof.pk}",
            language=language,
            secret=True,
        )
        return
    url = settings.ENTRAIDE_PUBLIC_BASE_URL + reverse("needs:data_rights_link", args=[secret])
    if lost_link:
        text = _(
            "Hello,\n\nSomeone (we hope you) asked to find again the private links of the "
            "requests made with this e-mail address. To continue, open this link within "
            "%(minutes)d minutes:\n%(url)s\n\nIf it was not you, ignore this message: "
            "nothing will happen.\n"
        )
    else:
        text = _(
            "Hello,\n\nSomeone (we hope you) asked to download or erase the data Entraide "
            "holds about this e-mail address. To continue, open this link within %(minutes)d "
            "minutes:\n%(url)s\n\nIf it was not you, ignore this message: nothing will "
            "happen.\n"
        )
    body = text % {"url": url, "minutes": PROOF_MINUTES}
    outbox_enqueue(
        channel=OutboxChannel.EMAIL,
        recipient=proof.contact,
        subject=_("Your data on Entraide"),
        body=body,
        delivery_key=f"contact-proof:{proof.pk}",
        language=language,
        secret=True,
    )


def contact_proof_check_code(*, proof_id: int, code: str, request: HttpRequest) -> ProvenContact:
    """Check the SMS code of proof ``proof_id``.

    Raise ValidationError keyed ``code``: ``too_many`` checks from this connection,
    ``expired`` (out of date, used, or out of attempts) or ``wrong_code``. Each wrong
    code uses one of the proof's attempts, counted in the database, so parallel guesses
    are all counted.
    """
    if _limited("proof-check-ip", client_ip(request) or "unknown", CHECKS_PER_HOUR_PER_IP):
        raise ValidationError({"code": TOO_MANY}, code="too_many")
    live = ContactProof.objects.filter(
        pk=proof_id,
        kind=ProofKind.PHONE,
        verified_at=None,
        expires_at__gt=timezone.now(),
        attempts__lt=MAX_CODE_ATTEMPTS,
    )
    if not live.update(attempts=F("attempts") + 1):
        raise ValidationError({"code": EXPIRED}, code="expired")
    proof = ContactProof.objects.get(pk=proof_id)
    if not secrets.compare_digest(hash_token(code.strip()), proof.secret_hash):
        _audit(proof, "contact_proof_failed", request)
        raise ValidationError({"code": WRONG_CODE}, code="wrong_code")
    return _verified(proof, request)


def contact_proof_check_link(*, token: str, request: HttpRequest) -> ProvenContact:
    """Use the one-time e-mail link. Raise ValidationError(code="expired")."""
    proof = ContactProof.objects.filter(
        kind=ProofKind.EMAIL,
        secret_hash=hash_token(token),
        verified_at=None,
        expires_at__gt=timezone.now(),
    ).first()
    if proof is None:
        raise ValidationError(EXPIRED, code="expired")
    return _verified(proof, request)


def _verified(proof: ContactProof, request: HttpRequest) -> ProvenContact:
    if not ContactProof.objects.filter(pk=proof.pk, verified_at=None).update(
        verified_at=timezone.now()
    ):
        raise ValidationError(EXPIRED, code="expired")
    _audit(proof, "contact_proof_verified", request)
    return ProvenContact(kind=proof.kind, contact=proof.contact)


def _audit(proof: ContactProof, action: str, request: HttpRequest) -> None:
    audit_record(
        actor=None,
        action=action,
        subject=f"proof:{proof.pk}",
        purpose=f"data rights, {proof.kind}",
        request=request,
    )


def session_remember(*, request: HttpRequest, proven: ProvenContact) -> None:
    """Keep the proven contact in a fresh session for a short while."""
    request.session.cycle_key()
    request.session.pop(SESSION_PROOF, None)
    until = timezone.now() + dt.timedelta(minutes=VERIFIED_MINUTES)
    request.session[SESSION_IDENTITY] = {
        "kind": proven.kind,
        "contact": proven.contact,
        "until": until.isoformat(),
    }


def session_proven(*, request: HttpRequest) -> ProvenContact | None:
    """The contact this session proved, while the proof is fresh; None otherwise."""
    stored = request.session.get(SESSION_IDENTITY)
    if not stored or dt.datetime.fromisoformat(stored["until"]) < timezone.now():
        return None
    return ProvenContact(kind=stored["kind"], contact=stored["contact"])


def session_forget(*, request: HttpRequest) -> None:
    request.session.pop(SESSION_IDENTITY, None)


def proofs_purge(*, before: dt.datetime) -> int:
    """Delete proofs that are out of date (they hold the phone or e-mail typed)."""
    deleted, _by_model = ContactProof.objects.filter(expires_at__lt=before).delete()
    return deleted


def proven_key(proven: ProvenContact) -> PersonKey:
    if proven.kind == ProofKind.PHONE:
        return resident_key(phone=proven.contact)
    return resident_key(email=proven.contact)


def resident_export(*, proven: ProvenContact) -> Export:
    """Everything held about the proven phone or e-mail, staff and volunteer accounts aside."""
    return personal_data_export(
        key=proven_key(proven), actor=None, purpose=f"resident, proven {proven.kind}"
    )


@dataclass(frozen=True)
class ResidentErasure:
    erased: int
    accounts_kept: int


def resident_erase(*, proven: ProvenContact) -> ResidentErasure:
    """Erase everything held about the proven phone or e-mail. Accounts of staff, role
    holders and volunteers are left as they are (coordinators handle those): the answer
    says how many were kept."""
    key = proven_key(proven)
    erased = personal_data_erase(key=key, actor=None, purpose=f"resident, proven {proven.kind}")
    return ResidentErasure(erased=erased, accounts_kept=len(key.protected_user_ids))
