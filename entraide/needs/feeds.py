"""An RSS feed per zone board: the same public fields as the page, nothing more.

Feed readers render an item's description as HTML. The description is a resident's own
words (typed on the web or sent by SMS), so it goes out as plain text: every ``<``,
``>`` and ``&`` escaped once more, so that a reader shows the characters and runs
nothing. Quotes stay as they are: the description is element text, not an attribute.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from entraide.territory.models import Zone
from entraide.territory.selectors import zone_get

from .models import HelpRequest
from .selectors import board_requests

_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class ZoneRequestsFeed(Feed):
    def get_object(self, request: HttpRequest, code: str) -> Zone:
        try:
            return zone_get(code=code)
        except Zone.DoesNotExist:
            raise Http404 from None

    def title(self, zone: Zone) -> str:
        return _("Requests for help — %(zone)s") % {"zone": zone.name}

    def link(self, zone: Zone) -> str:
        return reverse("needs:board", kwargs={"code": zone.code})

    def description(self, zone: Zone) -> str:
        return _("Open requests for help in %(zone)s.") % {"zone": zone.name}

    def items(self, zone: Zone):
        return board_requests(zone=zone)[:50]

    def item_title(self, item: HelpRequest) -> str:
        return f"{item.category_label} — {item.get_urgency_display()}"

    def item_description(self, item: HelpRequest) -> str:
        return item.public_description.translate(_MARKUP)

    def item_link(self, item: HelpRequest) -> str:
        return reverse("needs:board", kwargs={"code": item.zone.code}) + f"#{item.reference}"

    def item_pubdate(self, item: HelpRequest):
        return item.created_at
