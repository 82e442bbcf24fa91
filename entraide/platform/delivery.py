"""How messages leave the platform: one small interface per channel.

The SMS sender is chosen by the ENTRAIDE_SMS_SENDER setting: a logging sender locally and
in tests, the Twilio sender (``entraide.platform.delivery.TwilioSmsSender``) in
production. Senders raise DeliveryError for anything worth retrying.
"""

import logging
import os
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.module_loading import import_string

from .models import OutboxChannel, OutboxMessage

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A delivery that failed and may succeed later."""


class SmsSender(Protocol):
    def send(self, *, to: str, body: str, delivery_key: str) -> str:
        """Send one SMS and return the provider's reference."""
        ...


class RecentSms(list):
    """The last ``limit`` SMS of the logging sender, oldest dropped first: a local
    platform left running for months must not grow its memory with every SMS."""

    limit = 1000

    def append(self, item: dict) -> None:
        super().append(item)
        del self[: -self.limit]


class LoggingSmsSender:
    """Writes SMS to the log instead of sending them (local use and tests). The log line
    holds the delivery key and length only; the bodies stay in memory, bounded, for the
    simulator and the tests. Refused in production by ``check --deploy``."""

    sent: RecentSms = RecentSms()

    def send(self, *, to: str, body: str, delivery_key: str) -> str:
        LoggingSmsSender.sent.append({"to": to, "body": body, "delivery_key": delivery_key})
        logger.info("SMS %s (%d characters)", delivery_key, len(body))
        return f"log-{delivery_key}"


class TwilioSmsSender:
    """Sends through Twilio's Messaging API (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN,
    TWILIO_FROM_NUMBER)."""

    def send(self, *, to: str, body: str, delivery_key: str) -> str:
        from twilio.base.exceptions import TwilioRestException
        from twilio.rest import Client

        client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])
        try:
            message = client.messages.create(
                to=to, from_=os.environ["TWILIO_FROM_NUMBER"], body=body
            )
        except TwilioRestException as exc:
            raise DeliveryError(f"Twilio {exc.status}: {exc.code}") from exc
        return message.sid


def sms_sender() -> SmsSender:
    if not settings.ENTRAIDE_SMS_SENDER:
        # Production without a sender: keep the message queued rather than lose it.
        raise DeliveryError("ENTRAIDE_SMS_SENDER is not set")
    return import_string(settings.ENTRAIDE_SMS_SENDER)()


def deliver(message: OutboxMessage) -> str:
    """Send one outbox message through its channel; return the provider's reference."""
    if message.channel == OutboxChannel.SMS:
        return sms_sender().send(
            to=message.recipient, body=message.body, delivery_key=message.delivery_key
        )
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        to=[message.recipient],
        headers={"Message-ID": f"<{message.delivery_key}@entraide>"},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        email.send()
    except OSError as exc:
        raise DeliveryError(str(exc)) from exc
    return message.delivery_key
