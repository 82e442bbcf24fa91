"""What happens to a request, as published by ``needs.services`` after each change.

Subscribers (see each app's ``AppConfig.ready``):

- ``matching`` owns everything about helpers: it proposes on created/reopened, and on
  cancelled/expired/closed/reopened it withdraws or closes the assignments, frees the
  helpers' capacity and tells them.
- ``care`` screens the text for distress on created/updated.

Events carry ids and labels only, never personal data: they may be logged.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestEvent:
    help_request_id: int
    reference: str
    category: str
    actor_label: str = ""
    reason: str = ""


@dataclass(frozen=True)
class RequestCreated(RequestEvent):
    pass


@dataclass(frozen=True)
class RequestUpdated(RequestEvent):
    """The requester (or an operator) changed the text, window or place."""


@dataclass(frozen=True)
class RequestCancelled(RequestEvent):
    pass


@dataclass(frozen=True)
class RequestExpired(RequestEvent):
    pass


@dataclass(frozen=True)
class RequestReopened(RequestEvent):
    """Back to "open" from "volunteer found" or "in progress": whoever was helping is not."""


@dataclass(frozen=True)
class RequestClosed(RequestEvent):
    """Marked done."""
