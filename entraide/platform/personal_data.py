"""The outbox as a source of personal data: recipients and message bodies."""

import datetime as dt
from typing import Any

from django.db.models import Q

from .data_rights import PersonKey
from .models import OutboxMessage, OutboxStatus


def _messages(key: PersonKey):
    recipients = [*key.phones, *key.emails]
    return (
        OutboxMessage.objects.filter(Q(recipient__in=recipients))
        if recipients
        else (OutboxMessage.objects.none())
    )


class OutboxSource:
    name = "messages_sent"

    def export(self, key: PersonKey) -> list[dict[str, Any]]:
        return [
            {
                "channel": m.channel,
                "to": m.recipient,
                "subject": m.subject,
                "body": m.body,
                "status": m.status,
                "created_at": m.created_at.isoformat(),
            }
            for m in _messages(key)
        ]

    def erase(self, key: PersonKey) -> int:
        return _messages(key).update(
            recipient="", body="", body_html="", subject="", status=OutboxStatus.CANCELLED
        )

    def purge_expired(self, before: dt.datetime) -> int:
        return (
            OutboxMessage.objects.filter(created_at__lt=before)
            .exclude(status=OutboxStatus.PENDING)
            .exclude(body="", recipient="")
            .update(recipient="", body="", body_html="", subject="")
        )
