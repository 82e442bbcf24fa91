"""The audit log: one row per read or change of private data."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest

from .models import AuditLog


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's IP: from X-Forwarded-For only when the proxy is trusted."""
    if request is None:
        return None
    if getattr(settings, "TRUST_PROXY_HEADERS", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    subject: str,
    purpose: str = "",
    actor_label: str = "",
    request: HttpRequest | None = None,
) -> AuditLog:
    """Write one audit row. ``subject`` must be a reference, never personal data."""
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label[:60],
        action=action[:60],
        subject=subject[:80],
        purpose=purpose[:120],
        ip_address=client_ip(request),
    )
