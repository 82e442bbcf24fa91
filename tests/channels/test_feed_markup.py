"""The zone's RSS feed carries a resident's SMS words as plain text: a feed reader
renders an item's description as HTML, so no markup from an SMS may reach it."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from entraide.needs.models import HelpRequest

HOSTILE = [
    "<script>alert(1)</script>",
    "<a href=javascript:alert(2)>clic</a>",
    '<img src=x onerror="alert(3)">',
    "&lt;b&gt;déjà échappé&lt;/b&gt;",
]


class Reader(HTMLParser):
    """What a feed reader makes of a description: its elements and its visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_startendtag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data) -> None:
        self.text += data


def feed_descriptions(client) -> list[str]:
    response = client.get("/zones/75011/feed/")
    assert response.status_code == 200
    channel = ET.fromstring(response.content).find("channel")
    return [item.findtext("description") or "" for item in channel.iter("item")]


@pytest.mark.parametrize("markup", HOSTILE)
def test_markup_in_an_sms_reaches_feed_readers_as_plain_text(sms, client, markup):
    sms().send(f"AIDE 75011 COURSES du pain {markup} merci")
    assert HelpRequest.objects.get().description == f"du pain {markup} merci"

    [description] = feed_descriptions(client)
    reader = Reader()
    reader.feed(description)
    reader.close()
    assert reader.tags == []
    assert reader.text == f"du pain {markup} merci"


def test_plain_words_and_quotes_are_unchanged(sms, client):
    sms().send('AIDE 75011 COURSES l\'épicerie "bio" & le pain')
    [description] = feed_descriptions(client)
    assert description == 'l\'épicerie "bio" &amp; le pain'
