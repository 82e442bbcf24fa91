"""History lines in words: the reasons and roles the services store, as people read them.

Services keep writing short English reasons ("created via web", "accepted by volunteer
#3"): they are stable keys, searchable in the database whatever the reader's language.
This module turns them into the reader's language when a page shows them; a reason a
person typed (a coordinator's "why") is shown as typed.
"""

import re
from collections.abc import Callable

from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from .models import Channel
from .states import OfferStatus, RequestStatus

ACTOR_LABELS = {
    "requester": gettext_lazy("the person who asked"),
    "helper": gettext_lazy("the helper"),
    "coordinator": gettext_lazy("a coordinator"),
    "operator": gettext_lazy("a hotline operator"),
    "system": gettext_lazy("the platform"),
}

# Reasons written by the services, word for word (needs, matching, channels, people).
FIXED_REASONS = {
    "time window ended": gettext_lazy("the time window ended"),
    "back office bulk action": gettext_lazy("grouped action in the back office"),
    "retention period ended": gettext_lazy("retention period ended"),
    "erasure requested": gettext_lazy("erasure requested"),
    "batch re-optimisation": gettext_lazy("matching run again for the whole zone"),
    "no answer in time": gettext_lazy("no answer in time"),
    "assigned by hand": gettext_lazy("assigned by a coordinator"),
    "pair blocked by a coordinator": gettext_lazy("pair blocked by a coordinator"),
    "released by a coordinator": gettext_lazy("released by a coordinator"),
    "released by hand": gettext_lazy("released by a coordinator"),
    "request marked done": gettext_lazy("request marked done"),
    "volunteer paused": gettext_lazy("the volunteer paused"),
    "volunteer suspended": gettext_lazy("the volunteer was suspended"),
    "declined by SMS": gettext_lazy("declined by SMS"),
    "cancelled by hotline": gettext_lazy("cancelled by the hotline"),
    "signed up": gettext_lazy("signed up"),
    "bulk verification": gettext_lazy("verified in a grouped action"),
    "demo": gettext_lazy("demonstration data"),
}


def _channel(code: str) -> str:
    return str(Channel(code).label) if code in Channel.values else code


def _created(match: re.Match) -> str:
    return _("created via %(channel)s") % {"channel": _channel(match["code"])}


def _cancelled(match: re.Match) -> str:
    return _("cancelled via %(channel)s") % {"channel": _channel(match["code"])}


def _accepted(match: re.Match) -> str:
    if match["who"] == "volunteer":
        return _("accepted by volunteer no. %(number)s") % {"number": match["number"]}
    return _("accepted by organisation offer no. %(number)s") % {"number": match["number"]}


def _ended(match: re.Match) -> str:
    return _("assignment no. %(number)s ended: %(reason)s") % {
        "number": match["number"],
        "reason": reason_text(match["reason"]) or _("no reason given"),
    }


def _request_closed(match: re.Match) -> str:
    return _("request %(status)s") % {"status": status_label(match["code"]).lower()}


PATTERNS: list[tuple[re.Pattern, Callable[[re.Match], str]]] = [
    (re.compile(r"created via (?P<code>\w+)"), _created),
    (re.compile(r"cancelled by (?P<code>\w+)"), _cancelled),
    (re.compile(r"accepted by (?P<who>volunteer|organisation offer) #(?P<number>\d+)"), _accepted),
    (re.compile(r"assignment (?P<number>\d+) ended: (?P<reason>.*)"), _ended),
    (re.compile(r"request (?P<code>cancelled|expired|done)"), _request_closed),
]


def reason_text(reason: str) -> str:
    """A stored reason in the reader's language; a typed one unchanged."""
    reason = (reason or "").strip()
    if reason in FIXED_REASONS:
        return str(FIXED_REASONS[reason])
    for pattern, words in PATTERNS:
        match = pattern.fullmatch(reason)
        if match:
            return words(match)
    return reason


def status_label(code: str, statuses: tuple = (RequestStatus, OfferStatus)) -> str:
    """A request's (or an offer's) status in words; the code itself if unknown."""
    for choices in statuses:
        if code in choices.values:
            return str(choices(code).label)
    return code


def actor_text(label: str) -> str:
    """Who moved an entry, from the role the service stored."""
    return str(ACTOR_LABELS.get(label, label))


def language_name(code: str) -> str:
    """A language's name in the reader's language ("anglais"), the code if unknown."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
