"""Reads of the channels: a caller's requests (by their number), the operators' queue."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from entraide.needs.models import HelpRequest
from entraide.needs.states import REQUEST_CLOSED
from entraide.platform.models import OutboxMessage

from .models import CallerNote, InboundMessage, SmsOptOut, VoiceMessage, VoiceMessageStatus


def caller_open_requests(*, phone: str) -> QuerySet[HelpRequest]:
    """Live requests whose private contact is this number, oldest first."""
    if not phone:
        return HelpRequest.objects.none()
    return (
        HelpRequest.objects.filter(contact__phone=phone)
        .exclude(status__in=REQUEST_CLOSED)
        .select_related("zone")
        .order_by("created_at", "id")
    )


def caller_closed_requests(*, phone: str, limit: int = 20) -> QuerySet[HelpRequest]:
    """The caller's done, cancelled and expired requests, most recent first."""
    if not phone:
        return HelpRequest.objects.none()
    return (
        HelpRequest.objects.filter(contact__phone=phone, status__in=REQUEST_CLOSED)
        .select_related("zone")
        .order_by("-updated_at", "-id")[:limit]
    )


def caller_request(*, phone: str, reference: str) -> HelpRequest:
    """One of the caller's requests, open or closed.

    Raise HelpRequest.DoesNotExist when the number has no request with this reference,
    so that references cannot be probed from another number.
    """
    if not phone:
        raise HelpRequest.DoesNotExist
    return HelpRequest.objects.select_related("zone").get(
        reference=reference.upper(), contact__phone=phone
    )


def sms_opted_out(*, phone: str) -> bool:
    return SmsOptOut.objects.filter(phone=phone).exists()


def sms_received_today(*, phone: str) -> int:
    return InboundMessage.objects.filter(
        sender=phone, created_at__gte=timezone.now() - dt.timedelta(days=1)
    ).count()


def sender_language(*, phone: str) -> str | None:
    """The language of the sender's last understood message, if any."""
    return (
        InboundMessage.objects.filter(sender=phone)
        .exclude(intent="unknown")
        .order_by("-created_at", "-id")
        .values_list("language", flat=True)
        .first()
    )


def voice_messages_waiting() -> QuerySet[VoiceMessage]:
    return VoiceMessage.objects.filter(status=VoiceMessageStatus.WAITING).order_by(
        "created_at", "id"
    )


def caller_notes(*, phone: str) -> QuerySet[CallerNote]:
    return CallerNote.objects.filter(phone=phone).select_related("author", "help_request")


def caller_messages(*, phone: str, limit: int = 10) -> QuerySet[InboundMessage]:
    return InboundMessage.objects.filter(sender=phone).order_by("-created_at", "-id")[:limit]


def sms_queued(*, delivery_key: str) -> bool:
    return OutboxMessage.objects.filter(delivery_key=delivery_key).exists()
