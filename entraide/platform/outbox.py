"""The outbox: every outgoing e-mail and SMS is a row first, delivered by the worker.

Enqueue inside the transaction of the change that causes the message: if the change rolls
back, so does the message; if the web process dies after commit, the row is still there
and the worker sends it. Delivery claims a row, sends, and marks it sent; a crash between
sending and marking is the one window where a message could go twice, which the
``delivery_key`` (sent as the e-mail's Message-ID, kept with each SMS) lets the receiver
detect.
"""

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .delivery import DeliveryError, deliver
from .models import OutboxChannel, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

BACKOFF_SECONDS = (30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600)


class SmsCapReached(Exception):
    """The daily cap of SMS to one number is reached: nothing is queued."""


# Functions that say "never text this number" (e.g. it sent STOP). Apps register theirs.
SMS_SUPPRESSORS: list[Callable[[str], bool]] = []


def register_sms_suppressor(check: Callable[[str], bool]) -> None:
    if check not in SMS_SUPPRESSORS:
        SMS_SUPPRESSORS.append(check)


def _sms_sent_today(recipient: str) -> int:
    start = timezone.now() - dt.timedelta(days=1)
    return (
        OutboxMessage.objects.filter(
            channel=OutboxChannel.SMS, recipient=recipient, created_at__gte=start
        )
        .exclude(status=OutboxStatus.CANCELLED)
        .count()
    )


def outbox_enqueue(
    *,
    channel: str,
    recipient: str,
    body: str,
    delivery_key: str,
    subject: str = "",
    body_html: str = "",
    language: str = "fr",
    duty: bool = False,
    secret: bool = False,
) -> OutboxMessage:
    """Queue one message; the same ``delivery_key`` twice returns the first message.

    An SMS to a number that opted out is recorded as cancelled and never sent. Raise
    SmsCapReached when the recipient already got the daily maximum of SMS. A ``duty``
    alert (a distress alert to a partner's or a coordinator's duty contact) is neither
    capped nor silenced by STOP: staff contacts cannot opt out of their on-call duty. A
    ``secret`` message (reset link, code, one-time link) keeps its text only until it is
    delivered, failed for good or cancelled; no export ever shows it.
    """
    existing = OutboxMessage.objects.filter(delivery_key=delivery_key).first()
    if existing:
        return existing
    suppressed = (
        channel == OutboxChannel.SMS
        and not duty
        and any(check(recipient) for check in SMS_SUPPRESSORS)
    )
    if (
        channel == OutboxChannel.SMS
        and not suppressed
        and not duty
        and _sms_sent_today(recipient) >= settings.ENTRAIDE_SMS_DAILY_CAP_PER_NUMBER
    ):
        raise SmsCapReached(recipient)
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                channel=channel,
                recipient=recipient,
                subject=subject[:200],
                body="" if secret and suppressed else body,
                body_html="" if secret and suppressed else body_html,
                secret=secret,
                language=language,
                delivery_key=delivery_key,
                next_attempt_at=timezone.now(),
                status=OutboxStatus.CANCELLED if suppressed else OutboxStatus.PENDING,
                last_error="recipient opted out" if suppressed else "",
            )
    except IntegrityError:
        return OutboxMessage.objects.get(delivery_key=delivery_key)
    if not suppressed:
        transaction.on_commit(lambda: _schedule_delivery(message.pk))
    return message


def _schedule_delivery(message_id: int) -> None:
    from .tasks import deliver_outbox_message

    try:
        deliver_outbox_message.enqueue(message_id)
    except Exception:
        # The periodic sweep delivers it anyway; never fail the user's request for this.
        logger.exception("Could not enqueue delivery of outbox message %s", message_id)


def _claim(message_id: int) -> OutboxMessage | None:
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now())
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        # Pushed forward while sending, so a parallel sweep does not pick it up again.
        message.next_attempt_at = timezone.now() + dt.timedelta(minutes=5)
        message.save(update_fields=["attempts", "next_attempt_at"])
        return message


def outbox_deliver(message_id: int) -> bool:
    """Try to deliver one message now. Return True when it is sent."""
    message = _claim(message_id)
    if message is None:
        return False
    try:
        reference = deliver(message)
    except DeliveryError as exc:
        _record_failure(message, str(exc))
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        provider_reference=reference[:80],
        last_error="",
    )
    _forget_secret_text(message.pk)
    return True


SECRET_BLANKED = {"body": "", "body_html": ""}


def _forget_secret_text(message_id: int) -> None:
    """Once a secret message is delivered, failed for good or cancelled, drop its text."""
    OutboxMessage.objects.filter(pk=message_id, secret=True).exclude(
        status=OutboxStatus.PENDING
    ).update(**SECRET_BLANKED)


def _record_failure(message: OutboxMessage, error: str) -> None:
    if message.attempts >= settings.ENTRAIDE_OUTBOX_MAX_ATTEMPTS:
        status, delay = OutboxStatus.FAILED, 0
    else:
        status = OutboxStatus.PENDING
        delay = BACKOFF_SECONDS[min(message.attempts - 1, len(BACKOFF_SECONDS) - 1)]
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=status,
        last_error=error[:255],
        next_attempt_at=timezone.now() + dt.timedelta(seconds=delay),
    )
    _forget_secret_text(message.pk)
    logger.warning("Outbox message %s failed (attempt %d): %s", message.pk, message.attempts, error)


def outbox_forget_recipients(*, recipients: list[str]) -> int:
    """Erase the messages to these phone numbers or e-mails (a data-rights erasure): their
    recipient and text are blanked, and whatever was still waiting is cancelled, never sent.
    Return how many messages were erased."""
    if not recipients:
        return 0
    return OutboxMessage.objects.filter(recipient__in=recipients).update(
        recipient="", body="", body_html="", subject="", status=OutboxStatus.CANCELLED
    )


def outbox_deliver_due(*, limit: int = 200) -> int:
    """Deliver every message that is due (first tries and retries). Return how many sent."""
    due = (
        OutboxMessage.objects.filter(
            status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(outbox_deliver(message_id) for message_id in list(due))
