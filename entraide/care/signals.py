"""Care's subscriptions to other apps' events: new or edited requests are read for
distress (``needs``), so are incoming SMS, and an SMS STOP leaves the programme
(``channels``). Each runs after commit, so a failure here never loses the request or
the SMS."""

import logging

from entraide.channels.events import SmsOptedOut, SmsReceived
from entraide.channels.models import SmsOptOut
from entraide.needs.events import RequestCreated, RequestEvent, RequestUpdated
from entraide.platform.events import subscribe

logger = logging.getLogger(__name__)


def screen_request(event: RequestEvent) -> None:
    """A new or edited request is read for distress by the worker: a durable task that
    retries, and a periodic sweep behind it (``care.tasks``)."""
    from .tasks import screen_help_request

    screen_help_request.enqueue(event.help_request_id)


def screen_sms(event: SmsReceived) -> None:
    from .detection import sms_screen

    sms_screen(inbound_id=event.inbound_id)


def leave_on_stop(event: SmsOptedOut) -> None:
    from .services import care_leave_by_phone

    opt_out = SmsOptOut.objects.filter(pk=event.opt_out_id).first()
    if opt_out is not None:
        care_leave_by_phone(phone=opt_out.phone)


def connect() -> None:
    subscribe(RequestCreated, screen_request)
    subscribe(RequestUpdated, screen_request)
    subscribe(SmsReceived, screen_sms)
    subscribe(SmsOptedOut, leave_on_stop)
