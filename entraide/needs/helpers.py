"""Who is coming, as the requester's private page tells it.

Helpers are matching's business, and matching sits above needs (docs/adr/0002-layers.md):
needs cannot ask it. So matching registers its answer here at ``MatchingConfig.ready``
and the page asks :func:`helper_for_requester`, which says nobody until an answer is
registered.
"""

from collections.abc import Callable
from typing import Protocol

from .models import HelpRequest


class Helper(Protocol):
    """No more than the SMS to the requester says."""

    name: str
    code_word: str
    on_the_way: bool


HelperLookup = Callable[..., Helper | None]

_LOOKUPS: list[HelperLookup] = []


def register_helper_lookup(lookup: HelperLookup) -> None:
    """``lookup(help_request=...)`` returns the helper who accepted, or None. Registering
    the same lookup twice has no effect."""
    if lookup not in _LOOKUPS:
        _LOOKUPS.append(lookup)


def helper_for_requester(*, help_request: HelpRequest) -> Helper | None:
    for lookup in _LOOKUPS:
        helper = lookup(help_request=help_request)
        if helper is not None:
            return helper
    return None
