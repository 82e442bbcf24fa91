"""The territory the current request (or task) is served for.

A deployment serves its territory (``selectors.territory_current``). The locale
middleware (``platform.middleware.TerritoryLocaleMiddleware``) reads it once per request
and keeps it here, so postcodes, phone numbers, time zones and languages all follow the
same territory without asking the database again. Outside a request (a task, a command,
a test calling a service) the territory is read when asked for.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # settings import phones, which import this module: no models yet.
    from .models import Territory

_ACTIVE: ContextVar["Territory | None"] = ContextVar("entraide_territory", default=None)


def territory_active() -> "Territory | None":
    """The territory of this request, else the deployment's."""
    from .models import Territory

    active = _ACTIVE.get()
    if active is not None:
        return active
    return Territory.objects.order_by("id").first()


def territory_country() -> str:
    """The active territory's ISO country code ("FR" when there is none)."""
    territory = territory_active()
    return (territory.country_code if territory else "FR").upper() or "FR"


def territory_known() -> "Territory | None":
    """The territory this request is served for, without asking the database (None
    outside a request: system checks, for one, run before any table exists)."""
    return _ACTIVE.get()


def territory_country_known() -> str | None:
    """The country of the territory this request is served for, without asking the
    database (None outside a request)."""
    active = _ACTIVE.get()
    return active.country_code.upper() if active is not None else None


@contextmanager
def territory_activated(territory: "Territory | None") -> Iterator[None]:
    """Serve the block for ``territory`` (the middleware wraps each request with it)."""
    token = _ACTIVE.set(territory)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
