"""Hooks into other apps: new or edited requests are read for distress (from the
events ``needs`` publishes), so are SMS; STOP leaves the programme. Each runs after
commit, so a failure here never loses the request or the SMS."""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from entraide.channels.models import InboundMessage, SmsOptOut
from entraide.needs.events import RequestCreated, RequestEvent, RequestUpdated
from entraide.platform.events import subscribe

logger = logging.getLogger(__name__)


def _after_commit(work, label: str) -> None:
    def run() -> None:
        try:
            work()
        except Exception:
            logger.exception("Care hook failed for %s", label)

    transaction.on_commit(run)


def screen_request(event: RequestEvent) -> None:
    """A new or edited request is read for distress by the worker: a durable task that
    retries, and a periodic sweep behind it (``care.tasks``)."""
    from .tasks import screen_help_request

    screen_help_request.enqueue(event.help_request_id)


def connect() -> None:
    subscribe(RequestCreated, screen_request)
    subscribe(RequestUpdated, screen_request)


@receiver(post_save, sender=InboundMessage, dispatch_uid="care_escalate_sms")
def escalate_sms(sender, instance: InboundMessage, created: bool, **kwargs) -> None:
    if not created:
        return
    from .detection import sms_screen

    _after_commit(lambda: sms_screen(inbound_id=instance.pk), f"sms {instance.pk}")


@receiver(post_save, sender=SmsOptOut, dispatch_uid="care_leave_on_stop")
def leave_on_stop(sender, instance: SmsOptOut, created: bool, **kwargs) -> None:
    if not created:
        return
    from .services import care_leave_by_phone

    _after_commit(lambda: care_leave_by_phone(phone=instance.phone), "SMS STOP")
