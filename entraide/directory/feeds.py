"""An Atom feed of the published bulletins: counts and titles only, no personal data."""

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .bulletins import published_bulletins
from .models import Bulletin


class BulletinFeed(Feed):
    feed_type = Atom1Feed
    link = reverse_lazy("directory:bulletins")

    def title(self) -> str:
        return _("Weekly bulletin of aid measures and practices")

    def subtitle(self) -> str:
        return _("New and changed aid measures, measures closing soon, new practices.")

    def items(self):
        return published_bulletins().select_related("territory")[:30]

    def item_title(self, item: Bulletin) -> str:
        return _("Bulletin of %(territory)s — week %(week)s") % {
            "territory": item.territory.name,
            "week": item.week_label,
        }

    def item_description(self, item: Bulletin) -> str:
        new, changed, closing, practices = (
            len(item.content[key])
            for key in ("new_measures", "changed_measures", "closing_soon", "new_practices")
        )
        parts = [
            ngettext("%(count)d new measure", "%(count)d new measures", new) % {"count": new},
            ngettext("%(count)d changed measure", "%(count)d changed measures", changed)
            % {"count": changed},
            ngettext("%(count)d closing soon", "%(count)d closing soon", closing)
            % {"count": closing},
            ngettext("%(count)d new practice", "%(count)d new practices", practices)
            % {"count": practices},
        ]
        return ", ".join(parts) + "."

    def item_link(self, item: Bulletin) -> str:
        return reverse("directory:bulletin", kwargs={"pk": item.pk})

    def item_pubdate(self, item: Bulletin):
        return item.published_at or item.created_at

    def item_updateddate(self, item: Bulletin):
        return item.published_at or item.created_at
