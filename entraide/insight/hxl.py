"""HXL, the Humanitarian Exchange Language (https://hxlstandard.org, used by OCHA's HDX):
an optional second row of hashtags under a CSV's header, so that humanitarian partners'
tools (libhxl, HXL Proxy, HDX) can combine our figures with theirs.

One table maps each column to its tag: core hashtags of the HXL 1.1 dictionary
(``#adm2``, ``#sector``, ``#affected``, ``#date``, ``#geo``, ``#status``, ``#severity``,
``#description``, ``#language``, ``#contact``, ``#loc``, ``#meta``) with attributes
(``+code``, ``+name``, ``+num``, ``+lat``…). A zone is written ``#adm2`` as partners asked,
although it is a postal zone (an arrondissement in Paris), not a département.
"""

from collections.abc import Iterable, Iterator

TAGS: dict[str, str] = {
    # open data (api.OpenDataRequestsCsvApi)
    "zone": "#adm2+code",
    "zone_name": "#adm2+name",
    "category": "#sector+code",
    "day": "#date",
    "requests": "#affected+num",
    "source": "#meta+source",
    # coordinators' CSV (exports.py)
    "reference": "#meta+id",
    "categories": "#sector+list",
    "urgency": "#severity",
    "description": "#description",
    "availability": "#description+availability",
    "public_lat": "#geo+lat",
    "public_lon": "#geo+lon",
    "window_start": "#date+start",
    "window_end": "#date+end",
    "time_of_day": "#meta+time_of_day",
    "status": "#status",
    "created_at": "#date+created",
    "channel": "#meta+channel",
    "language": "#language",
    "status_changed_at": "#date+status_changed",
    "first_name": "#contact+name",
    "phone": "#contact+phone",
    "email": "#contact+email",
    "address": "#loc+address",
}


def hxl_row(columns: Iterable[str]) -> list[str]:
    """The hashtag row for these column names; a column without a tag stays empty."""
    return [TAGS.get(name, "") for name in columns]


def with_hxl(columns: list[str], rows: Iterable[Iterable]) -> Iterator[Iterable]:
    """``rows`` preceded by the hashtag row (the row right under the header)."""
    yield hxl_row(columns)
    yield from rows
