"""A fixed-window rate limit kept in the shared cache (the database, or Redis).

Every web process sees the same counters, so a flood spread over several processes is
still counted once. Used to cap how many requests and offers one connection can post,
and how many SMS visitors who are not vetted can make the platform send.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from .audit import client_ip


def limit_reached(*, scope: str, ident: str, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``ident`` in ``scope``; True once it is over ``limit``."""
    if limit <= 0:
        return False
    bucket = int(time.time() // window_seconds)
    key = f"rate:{scope}:{ident}:{bucket}"
    if cache.add(key, 1, timeout=window_seconds * 2):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:
        # The counter expired between add and incr: this hit starts a new one.
        cache.set(key, 1, timeout=window_seconds * 2)
        return False


def posting_limit_reached(request: HttpRequest, scope: str) -> bool:
    """Too many requests or offers posted from this connection in the last hour?"""
    return limit_reached(
        scope=scope,
        ident=client_ip(request) or "unknown",
        limit=settings.ENTRAIDE_POSTS_PER_HOUR_PER_IP,
        window_seconds=3600,
    )


def anonymous_sms_limit_reached(*, ip: str | None, phone: str) -> bool:
    """Count one SMS a visitor who is not vetted makes us send (a sign-up code).

    Capped per connection, per number and for the whole platform, so neither one
    connection, nor many connections aimed at one number, nor a botnet spread over many
    numbers can turn the platform into an SMS pump. Every counter counts this hit.
    """
    hits = (
        limit_reached(
            scope="sms-ip",
            ident=ip or "unknown",
            limit=settings.ENTRAIDE_ANONYMOUS_SMS_PER_HOUR_PER_IP,
            window_seconds=3600,
        ),
        limit_reached(
            scope="sms-number",
            ident=phone,
            limit=settings.ENTRAIDE_ANONYMOUS_SMS_PER_DAY_PER_NUMBER,
            window_seconds=86400,
        ),
        limit_reached(
            scope="sms-all",
            ident="all",
            limit=settings.ENTRAIDE_ANONYMOUS_SMS_PER_HOUR,
            window_seconds=3600,
        ),
    )
    return any(hits)


PASSWORD_RESETS_PER_HOUR_PER_EMAIL = 3
PASSWORD_RESETS_PER_HOUR_PER_IP = 10


def password_reset_limit_reached(*, ip: str | None, email: str) -> bool:
    """Count one password-reset request; True when the address or the connection asked
    too often (a mail bomb aimed at someone, or a flood from one connection)."""
    by_email = limit_reached(
        scope="reset-email",
        ident=email.strip().lower(),
        limit=PASSWORD_RESETS_PER_HOUR_PER_EMAIL,
        window_seconds=3600,
    )
    by_ip = limit_reached(
        scope="reset-ip",
        ident=ip or "unknown",
        limit=PASSWORD_RESETS_PER_HOUR_PER_IP,
        window_seconds=3600,
    )
    return by_email or by_ip
