"""Writes of the channels: requests by telephone, SMS out, opt-outs, voice messages and
the operator's actions. Each turns channel input into the same domain calls as the web."""

import base64
import logging
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from entraide.matching.services import helper_for_requester
from entraide.needs.categories import category_label
from entraide.needs.models import Channel, HelpRequest
from entraide.needs.services import (
    Actor,
    ContactInput,
    Created,
    RequestInput,
    help_request_cancel,
    help_request_create,
)
from entraide.platform.audit import AuditContext, audit_record
from entraide.platform.events import publish
from entraide.platform.models import OutboxChannel, OutboxMessage
from entraide.platform.outbox import SmsCapReached, outbox_enqueue
from entraide.platform.phones import is_mobile
from entraide.territory.models import Zone

from .events import SmsOptedOut
from .models import CallerNote, CallSession, SmsOptOut, VoiceMessage, VoiceMessageStatus
from .recording_deletions import recordings_forget
from .recordings import recording_url_allowed, recording_url_clean
from .selectors import caller_request

logger = logging.getLogger(__name__)


def sms_send(
    *, recipient: str, body: str, delivery_key: str, language: str
) -> OutboxMessage | None:
    """Queue an SMS through the outbox (which records it as cancelled, never sent, when the
    number sent STOP). Return None when nothing was queued: no number, or the daily cap.
    The same ``delivery_key`` twice queues one SMS.
    """
    if not recipient:
        return None
    try:
        return outbox_enqueue(
            channel=OutboxChannel.SMS,
            recipient=recipient,
            body=body,
            delivery_key=delivery_key,
            language=language,
        )
    except SmsCapReached:
        logger.info("SMS cap reached, %s not queued", delivery_key)
        return None


def sms_opt_out(*, phone: str, keyword: str) -> None:
    opt_out, created = SmsOptOut.objects.get_or_create(
        phone=phone, defaults={"keyword": keyword[:20]}
    )
    if created:
        publish(SmsOptedOut(opt_out_id=opt_out.pk))


def sms_opt_in(*, phone: str) -> None:
    SmsOptOut.objects.filter(phone=phone).delete()


def request_confirmation_text(*, help_request: HelpRequest, language: str) -> str:
    with translation.override(language):
        return _(
            "Entraide: your request %(reference)s is recorded (%(need)s, %(zone)s). "
            "To cancel it, text CANCEL %(reference)s."
        ) % {
            "reference": help_request.reference,
            "need": category_label(help_request.category),
            "zone": help_request.zone.code,
        }


ConfirmationGuard = Callable[[HelpRequest], bool]

_CONFIRMATION_GUARDS: list[ConfirmationGuard] = []


def register_sms_confirmation_guard(guard: ConfirmationGuard) -> None:
    """Let an upper app veto the SMS confirmation of a request: ``guard(help_request)``
    returns False when no SMS may say the request exists (``care`` registers the
    violence rule at ``ready``). Registering the same guard twice has no effect."""
    if guard not in _CONFIRMATION_GUARDS:
        _CONFIRMATION_GUARDS.append(guard)


def request_confirm_by_sms(*, help_request: HelpRequest, phone: str, key: str) -> bool:
    """Queue the SMS confirmation of a new request when the number can receive SMS and
    no registered guard forbids it."""
    if not phone or not is_mobile(phone):
        return False
    if not all(guard(help_request) for guard in _CONFIRMATION_GUARDS):
        return False
    body = request_confirmation_text(help_request=help_request, language=help_request.language)
    return (
        sms_send(
            recipient=phone,
            body=body,
            delivery_key=f"{key}:confirmation",
            language=help_request.language,
        )
        is not None
    )


def default_description(*, category: str, channel: str, language: str) -> str:
    with translation.override(language):
        if channel == Channel.SMS:
            return _("%(need)s — asked by SMS.") % {"need": category_label(category)}
        return _("%(need)s — asked by telephone.") % {"need": category_label(category)}


@transaction.atomic
def phone_request_create(
    *, call_id: str, caller: str, zone_id: int, category: str, urgency: int, language: str
) -> Created:
    """A request made on the telephone menu, with the caller's number as private contact.

    Raise ValidationError as help_request_create does (e.g. a hidden caller number).
    """
    created = help_request_create(
        zone=Zone.objects.get(pk=zone_id),
        data=RequestInput(
            category=category,
            description=default_description(
                category=category, channel=Channel.PHONE, language=language
            ),
            urgency=urgency,
            contact=ContactInput(phone=caller),
        ),
        channel=Channel.PHONE,
        language=language,
    )
    CallSession.objects.filter(call_sid=call_id).update(help_request=created.entry)
    request_confirm_by_sms(help_request=created.entry, phone=caller, key=f"call:{call_id}")
    return created


def caller_request_cancel(*, phone: str, reference: str, channel: str) -> HelpRequest:
    """Cancel one of the caller's own requests, found by their number and its reference.

    Raise HelpRequest.DoesNotExist when the number has no such request, and
    ValidationError(code="request_closed") when it is already closed.
    """
    help_request = caller_request(phone=phone, reference=reference)
    return help_request_cancel(
        help_request=help_request, actor_label=Actor.REQUESTER, reason=f"cancelled by {channel}"
    )


def voice_message_create(
    *, call_id: str, recording_url: str, duration_seconds: int | None
) -> VoiceMessage:
    """Put a caller in the operators' queue, with their recorded message if they left one.

    A recording URL that is not the provider's https URL is dropped, never stored: the
    caller still waits in the queue, for a call-back. A second recording of a call that
    already left one is not kept either: its deletion at the provider is queued.
    """
    session = CallSession.objects.get(call_sid=call_id)
    clean_url = recording_url_clean(recording_url)
    with transaction.atomic():
        message, created = VoiceMessage.objects.get_or_create(
            session=session,
            defaults={
                "caller": session.caller,
                "language": session.language,
                "recording_url": clean_url,
                "duration_seconds": duration_seconds,
            },
        )
        if not created and clean_url and clean_url != message.recording_url:
            recordings_forget(urls=[clean_url])
    return message


def _operator_audit(
    operator: AbstractBaseUser, action: str, subject: str, audit: AuditContext | None
) -> None:
    audit_record(
        actor=operator,
        actor_label=Actor.OPERATOR,
        action=action,
        subject=subject,
        purpose="hotline",
        context=audit,
    )


def caller_digest(phone: str) -> str:
    """A keyed digest of a number, for audit rows: it names the caller without the number
    (a plain hash of a phone number is reversed by trying every number)."""
    return salted_hmac("entraide.channels.caller", phone, algorithm="sha256").hexdigest()[:32]


def caller_lookup_record(
    *,
    operator: AbstractBaseUser,
    phone: str,
    references: list[str],
    audit: AuditContext | None = None,
) -> None:
    """Audit an operator's look-up of a caller: who, which caller (by digest), and the
    open requests it showed them, one row per request found."""
    caller = f"caller:{caller_digest(phone)}"
    audit_record(
        actor=operator,
        actor_label=Actor.OPERATOR,
        action="operator.caller_lookup",
        subject=caller,
        purpose="hotline: take a call",
        context=audit,
    )
    for reference in references:
        audit_record(
            actor=operator,
            actor_label=Actor.OPERATOR,
            action="operator.caller_lookup_request",
            subject=reference,
            purpose=f"hotline: take a call from {caller}",
            context=audit,
        )


def operator_request_create(
    *,
    operator: AbstractBaseUser,
    zone: Zone,
    data: RequestInput,
    language: str,
    audit: AuditContext | None = None,
) -> Created:
    """A request taken by a hotline operator on a caller's behalf, attributed to them."""
    with transaction.atomic():
        created = help_request_create(
            zone=zone, data=data, channel=Channel.OPERATOR, language=language, actor=operator
        )
        _operator_audit(operator, "operator.request_create", created.entry.reference, audit)
        request_confirm_by_sms(
            help_request=created.entry,
            phone=created.entry.contact.phone,
            key=f"operator:{created.entry.reference}",
        )
    return created


def operator_request_cancel(
    *,
    operator: AbstractBaseUser,
    help_request: HelpRequest,
    audit: AuditContext | None = None,
) -> HelpRequest:
    """Cancel a caller's request at their demand. Raise ValidationError when it is closed."""
    with transaction.atomic():
        cancelled = help_request_cancel(
            help_request=help_request, actor_label=Actor.OPERATOR, reason="cancelled by hotline"
        )
        _operator_audit(operator, "operator.request_cancel", help_request.reference, audit)
    return cancelled


def operator_note_add(
    *,
    operator: AbstractBaseUser,
    phone: str,
    text: str,
    help_request: HelpRequest | None = None,
    audit: AuditContext | None = None,
) -> CallerNote:
    """Raise ValidationError(code="required") when the note is empty."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the note first."), code="required")
    with transaction.atomic():
        note = CallerNote.objects.create(
            phone=phone, text=text, help_request=help_request, author=operator
        )
        subject = help_request.reference if help_request else f"caller-note:{note.pk}"
        _operator_audit(operator, "operator.note_add", subject, audit)
    return note


def voice_message_handle(
    *, operator: AbstractBaseUser, message: VoiceMessage, audit: AuditContext | None = None
) -> VoiceMessage:
    with transaction.atomic():
        updated = VoiceMessage.objects.filter(
            pk=message.pk, status=VoiceMessageStatus.WAITING
        ).update(status=VoiceMessageStatus.HANDLED, handled_by=operator, handled_at=timezone.now())
        if updated:
            _operator_audit(operator, "operator.voice_message_handle", f"voice:{message.pk}", audit)
    message.refresh_from_db()
    return message


@dataclass(frozen=True)
class HelperToReadOut:
    """What an operator may read to a caller: the helper's first name and code word."""

    name: str
    code_word: str
    on_the_way: bool


def caller_helpers_read(
    *,
    operator: AbstractBaseUser,
    help_requests: list[HelpRequest],
    audit: AuditContext | None = None,
) -> dict[int, HelperToReadOut]:
    """The helper who accepted each request, by request id, for the operator to read out.

    The code word is the requester's protection at the door: each request whose helper is
    shown leaves an audit row, so a reading without a caller on the line can be found.
    """
    found: dict[int, HelperToReadOut] = {}
    for help_request in help_requests:
        helper = helper_for_requester(help_request=help_request)
        if helper is None:
            continue
        found[help_request.pk] = HelperToReadOut(
            name=helper.name, code_word=helper.code_word, on_the_way=helper.on_the_way
        )
        audit_record(
            actor=operator,
            actor_label=Actor.OPERATOR,
            action="operator.helper_read",
            subject=help_request.reference,
            purpose="hotline: read to the caller",
            context=audit,
        )
    return found


RECORDING_MAX_BYTES = 20 * 1024 * 1024
RECORDING_TIMEOUT_SECONDS = 15


class RecordingUnavailable(Exception):
    """The provider did not give the recording: no account set, unreachable, too large."""


class RecordingNotAllowed(Exception):
    """The message has no recording, or its URL is not the provider's recordings URL."""


class _HttpsOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow the provider's redirect to its media store only over https; the account's
    credentials are never sent along (they are an unredirected header)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme != "https":
            raise RecordingUnavailable("redirect away from https")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def recording_download(url: str) -> bytes:
    """The MP3 of a recording, fetched from the provider with the account's credentials."""
    account = settings.ENTRAIDE_CARE_TWILIO_ACCOUNT_SID
    token = settings.TWILIO_AUTH_TOKEN
    if not account or not token:
        raise RecordingUnavailable("TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is not set")
    media_url = url if urlsplit(url).path.endswith(".mp3") else f"{url}.mp3"
    request = urllib.request.Request(media_url)
    credentials = base64.b64encode(f"{account}:{token}".encode()).decode()
    request.add_unredirected_header("Authorization", f"Basic {credentials}")
    opener = urllib.request.build_opener(_HttpsOnlyRedirects())
    try:
        with opener.open(request, timeout=RECORDING_TIMEOUT_SECONDS) as response:
            audio = response.read(RECORDING_MAX_BYTES + 1)
    except OSError as exc:
        raise RecordingUnavailable(f"provider unreachable: {type(exc).__name__}") from exc
    if len(audio) > RECORDING_MAX_BYTES:
        raise RecordingUnavailable("recording too large")
    return audio


def voice_message_audio(
    *, operator: AbstractBaseUser, message: VoiceMessage, audit: AuditContext | None = None
) -> bytes:
    """The recorded message, for an operator to play through the platform (no provider
    login). Only the provider's own https recordings URL is fetched; each listening is
    audited. Raise RecordingNotAllowed for any other URL, RecordingUnavailable when the
    provider does not answer."""
    if not recording_url_allowed(message.recording_url):
        raise RecordingNotAllowed("not the provider's recordings URL")
    audio = recording_download(message.recording_url)
    _operator_audit(operator, "operator.voice_message_listen", f"voice:{message.pk}", audit)
    return audio
