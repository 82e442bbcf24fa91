"""Bulletin subscriptions as a source of personal data (export, erasure, retention)."""

import datetime as dt
from typing import Any

from django.db.models import Q

from entraide.platform.data_rights import PersonKey

from .models import Subscription


def _subscriptions(key: PersonKey):
    condition = Q(pk__in=[])
    if key.emails:
        condition |= Q(email__in=key.emails)
    if key.user_ids:
        condition |= Q(user_id__in=key.user_ids)
    return (
        Subscription.objects.filter(condition)
        .exclude(user_id__in=key.protected_user_ids)
        .select_related("territory")
    )


class SubscriptionsSource:
    name = "bulletin_subscriptions"

    def export(self, key: PersonKey) -> list[dict[str, Any]]:
        return [
            {
                "territory": s.territory.name,
                "email": s.email,
                "language": s.language,
                "active": s.active,
                "since": s.created_at.isoformat(),
                "unsubscribed_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
            }
            for s in _subscriptions(key)
        ]

    def erase(self, key: PersonKey) -> int:
        deleted, _by_model = _subscriptions(key).delete()
        return deleted

    def purge_expired(self, before: dt.datetime) -> int:
        # An address is kept while it is subscribed; once unsubscribed, until retention ends.
        deleted, _by_model = Subscription.objects.filter(
            active=False, unsubscribed_at__lt=before
        ).delete()
        return deleted
