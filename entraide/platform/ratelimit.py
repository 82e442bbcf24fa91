"""A fixed-window rate limit kept in the shared cache (the database, or Redis).

Every web process sees the same counters, so a flood spread over several processes is
still counted once. Used to cap how many requests and offers one connection can post.
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
