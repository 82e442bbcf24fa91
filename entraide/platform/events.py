"""Domain events: an app says what happened; the apps that care subscribe.

A service calls :func:`publish` inside its transaction; the handlers run after the
commit, each in its own transaction, so they never see a change that is rolled back and a
failing handler neither undoes the change nor stops the other handlers. Handlers must
therefore be quick and idempotent, and whatever must not be lost goes into a durable task
(django-tasks) or is caught again by a periodic sweep.

Subscriptions are made in ``AppConfig.ready`` with :func:`subscribe` — the same pattern as
the data-rights sources and the SMS suppressors — so who reacts to what is listed in one
place per app and never hidden in a model's ``post_save``.
"""

import logging
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

Handler = Callable[[object], None]

_HANDLERS: dict[type, list[Handler]] = defaultdict(list)


def subscribe(event_type: type, handler: Handler) -> None:
    """Run ``handler(event)`` after the commit of every ``event_type`` published.

    Subscribing the same handler twice has no effect (``ready`` may run more than once).
    """
    if handler not in _HANDLERS[event_type]:
        _HANDLERS[event_type].append(handler)


def subscribers(event_type: type) -> list[Handler]:
    return list(_HANDLERS.get(event_type, ()))


def publish(event: object) -> None:
    """Defer every handler of ``type(event)`` to the commit of the current transaction
    (at once when there is none)."""
    for handler in subscribers(type(event)):
        transaction.on_commit(lambda handler=handler: _run(handler, event), robust=True)


def _run(handler: Handler, event: object) -> None:
    try:
        with transaction.atomic():
            handler(event)
    except Exception:
        logger.exception("Handler %s failed for %r", getattr(handler, "__name__", handler), event)
