"""The outbox as a source of personal data: recipients and message bodies.

An export never shows a secret: the text of a message marked ``secret`` (reset link,
code, private link) is left out, and any link in other messages is replaced, since a
link in a message is how a one-time capability travels.
"""

import datetime as dt
import re
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Q
from django.utils import timezone

from .data_rights import PersonKey
from .identity import proofs_purge
from .models import ContactProof, OutboxMessage, OutboxStatus
from .outbox import outbox_forget_recipients

_AXES_MODELS = (AccessAttempt, AccessLog, AccessFailureLog)

LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
LINK_REMOVED = "[link removed]"


def _messages(key: PersonKey):
    recipients = [*key.phones, *key.emails]
    return (
        OutboxMessage.objects.filter(Q(recipient__in=recipients))
        if recipients
        else (OutboxMessage.objects.none())
    )


def exportable_body(message: OutboxMessage) -> str:
    if message.secret:
        return ""
    return LINK.sub(LINK_REMOVED, message.body)


class OutboxSource:
    name = "messages_sent"

    def export(self, key: PersonKey) -> list[dict[str, Any]]:
        return [
            {
                "channel": m.channel,
                "to": m.recipient,
                "subject": m.subject,
                "body": exportable_body(m),
                "status": m.status,
                "created_at": m.created_at.isoformat(),
            }
            for m in _messages(key)
        ]

    def erase(self, key: PersonKey) -> int:
        return outbox_forget_recipients(recipients=[*key.phones, *key.emails])

    def purge_expired(self, before: dt.datetime) -> int:
        return (
            OutboxMessage.objects.filter(created_at__lt=before)
            .exclude(status=OutboxStatus.PENDING)
            .exclude(body="", recipient="")
            .update(recipient="", body="", body_html="", subject="")
        )


class ContactProofsSource:
    """Proofs of contact hold the phone or e-mail typed; they go a day after they expire."""

    name = "contact_proofs"

    def export(self, key: PersonKey) -> list[dict[str, Any]]:
        return []

    def erase(self, key: PersonKey) -> int:
        contacts = [*key.phones, *key.emails]
        deleted, _by_model = ContactProof.objects.filter(contact__in=contacts).delete()
        return deleted

    def purge_expired(self, before: dt.datetime) -> int:
        return proofs_purge(before=min(before, timezone.now() - dt.timedelta(days=1)))


class SignInLogsSource:
    """django-axes' records of sign-in attempts keep the login typed (often an e-mail)
    and the IP address: kept for the retention period, then deleted."""

    name = "sign_in_logs"

    def export(self, key: PersonKey) -> list[dict[str, Any]]:
        return [
            {"at": attempt.attempt_time.isoformat(), "failures": attempt.failures_since_start}
            for attempt in AccessAttempt.objects.filter(username__in=key.emails)
        ]

    def erase(self, key: PersonKey) -> int:
        return sum(
            model.objects.filter(username__in=key.emails).delete()[0] for model in _AXES_MODELS
        )

    def purge_expired(self, before: dt.datetime) -> int:
        return sum(
            model.objects.filter(attempt_time__lt=before).delete()[0] for model in _AXES_MODELS
        )
