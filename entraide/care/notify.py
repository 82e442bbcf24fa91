"""Who is told what: coordinators of a zone, a person's emergency contact, a partner.

Every message goes through the outbox (SMS through ``channels.services.sms_send``, so
STOP and the daily cap hold) and says as little as it can: references and links, never a
report's content. The details are read on the platform, through ``access.py``.

Escalation alerts are the exception to STOP and the cap: they go to staff duty contacts
(partners, coordinators, administrators) as ``duty`` messages (``duty_alert``).
"""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from entraide.channels.services import sms_send
from entraide.platform.models import OutboxChannel, OutboxMessage, Role
from entraide.platform.outbox import outbox_enqueue
from entraide.platform.roles import coordinators_covering
from entraide.territory.models import Zone

SMS = OutboxChannel.SMS
EMAIL = OutboxChannel.EMAIL


def absolute_url(name: str, *args) -> str:
    return settings.ENTRAIDE_PUBLIC_BASE_URL.rstrip("/") + reverse(name, args=args)


def coordinator_emails(*, zone: Zone | None) -> list[str]:
    """Territory coordinators, and when there is a zone, the coordinators of that zone and
    of every area above it (a regional table's coordinator is alerted too)."""
    if zone is None:
        users = get_user_model().objects.filter(
            role_grants__role=Role.TERRITORY_COORDINATOR, is_active=True
        )
    else:
        users = coordinators_covering(zone=zone)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def email_coordinators(*, zone: Zone | None, subject: str, body: str, key: str) -> int:
    recipients = coordinator_emails(zone=zone)
    for email in recipients:
        outbox_enqueue(
            channel=OutboxChannel.EMAIL,
            recipient=email,
            subject=subject,
            body=body,
            delivery_key=f"{key}:{email}"[:120],
            language=settings.LANGUAGE_CODE,
        )
    return len(recipients)


def send_to(*, kind: str, address: str, subject: str, body: str, key: str, language: str) -> bool:
    """One message to a phone (SMS) or an e-mail address; False when nothing was queued."""
    if kind == "phone":
        return (
            sms_send(recipient=address, body=body, delivery_key=key, language=language) is not None
        )
    outbox_enqueue(
        channel=OutboxChannel.EMAIL,
        recipient=address,
        subject=subject,
        body=body,
        delivery_key=key,
        language=language,
    )
    return True


def duty_alert(
    *, channel: str, address: str, subject: str, body: str, key: str
) -> OutboxMessage | None:
    """Queue an alert to a staff duty contact: never capped, never silenced by STOP.
    None when there is no address to queue it to."""
    if not address.strip():
        return None
    return outbox_enqueue(
        channel=channel,
        recipient=address.strip(),
        subject=subject,
        body=body,
        delivery_key=key[:120],
        language=settings.LANGUAGE_CODE,
        duty=True,
    )


T = TypeVar("T")


def in_language(language: str, text_factory: Callable[[], T]) -> T:
    with translation.override(language):
        return text_factory()


def missed_calls_texts(*, reference: str, zone_code: str, count: int, url: str) -> tuple[str, str]:
    subject = _("Courtesy calls: %(reference)s did not answer") % {"reference": reference}
    body = _(
        "Entraide: %(count)s courtesy calls in a row to %(reference)s (%(zone)s) went "
        "unanswered. Please check on them: %(url)s"
    ) % {"count": count, "reference": reference, "zone": zone_code, "url": url}
    return subject, body
