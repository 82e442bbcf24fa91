"""Readable on an old phone: structure, text size, touch targets, reflow at 320 px and 200 %."""

import pytest

from .helpers import SMALL_TEXT, STRUCTURE, TOO_SMALL
from .pages import PAGES, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("target", PAGES, ids=str)
def test_structure_and_readability(target, open_page, live_server, paris):
    site = Site(live_server.url, paris)
    page = open_page("fr", width=320, height=640)
    target.build(page, site)

    structure = page.evaluate(STRUCTURE)
    assert structure["lang"] == "fr"
    assert (structure["banner"], structure["main"], structure["contentinfo"]) == (1, 1, 1)
    assert structure["nav"] >= 1
    assert structure["h1"] == 1, f"{target}: {structure['h1']} h1 elements"
    assert structure["first"] == 1, f"{target}: the first heading is h{structure['first']}"
    assert not structure["skips"], f"{target}: heading levels skipped: {structure['skips']}"
    assert structure["switcher"], "no language switcher"
    for value, lang in structure["switcher"]:
        assert lang == value, f"the {value} button has lang={lang!r}"

    assert not page.evaluate(SMALL_TEXT), f"{target}: text under 16 px"
    assert not page.evaluate(TOO_SMALL), f"{target}: touch targets under 44x44 px"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{target}: scrolls sideways at 320 px ({width} px wide)"

    # 200 % zoom of a 640 px wide window: 320 CSS px at a device scale factor of 2.
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": 320, "height": 480, "deviceScaleFactor": 2, "mobile": False},
    )
    assert page.evaluate("window.devicePixelRatio") == 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{target}: scrolls sideways at 200 % zoom ({width} CSS px wide)"
