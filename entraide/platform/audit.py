"""The audit log: one row per read or change of private data.

Services do not take an HttpRequest: the adapter that received the request (a view, the
API, a webhook) builds an ``AuditContext`` with ``audit_context_from`` and hands that
down, so a service reads the same whatever the entry point (a task passes none).
"""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class AuditContext:
    """Who acted, from which address, and why: what an audit row needs of a request."""

    actor: AbstractBaseUser | AnonymousUser | None = None
    ip: str | None = None
    purpose: str = ""


def audit_context_from(request: HttpRequest | None, *, purpose: str = "") -> AuditContext:
    """The audit context of an incoming request (none: an empty context)."""
    if request is None:
        return AuditContext(purpose=purpose)
    return AuditContext(
        actor=getattr(request, "user", None), ip=client_ip(request), purpose=purpose
    )


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    subject: str,
    purpose: str = "",
    actor_label: str = "",
    request: HttpRequest | None = None,
    context: AuditContext | None = None,
) -> AuditLog:
    """Write one audit row. ``subject`` must be a reference, never personal data.

    A service passes its ``context`` (the address, and the purpose when none is given
    here); ``request`` is for the adapters of ``platform`` itself (the back office). The
    actor is always named by the caller: a system row stays anonymous.
    """
    context = context or audit_context_from(request)
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label[:60],
        action=action[:60],
        subject=subject[:80],
        purpose=(purpose or context.purpose)[:120],
        ip_address=context.ip,
    )
