"""A coordinator opens the dashboard and the map in a real Chromium, tiles offline."""

import io
from pathlib import Path

import pytest
from PIL import Image

import entraide.insight
from tests.chromium import launched_chromium, require

LEAFLET = Path(entraide.insight.__file__).parent / "static/insight/leaflet/leaflet.js"
pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page():
    require("Leaflet in the static files (run `make leaflet`)", LEAFLET.exists())
    with launched_chromium() as browser:
        context = browser.new_context(locale="fr-FR", viewport={"width": 1000, "height": 900})
        # The tiles are offline: the map must still show the zones.
        context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
        yield context.new_page()


@pytest.mark.django_db(transaction=True)
def test_coordinator_sees_the_dashboard_and_the_map(
    live_server, world, territory_coordinator, client, browser_page
):
    client.force_login(territory_coordinator)
    cookie = client.cookies["sessionid"]
    page = browser_page
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])

    page.goto(live_server.url + "/coordination/")
    assert page.locator("#figure-open").inner_text() == "4"
    assert page.locator("svg.chart").count() == 3

    page.goto(live_server.url + "/coordination/map/")
    page.wait_for_selector("#map[data-zones='20']")
    assert page.locator(".leaflet-interactive").count() >= 20
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    shot = Image.open(io.BytesIO(page.locator("#map").screenshot())).convert("RGB")
    colours = shot.getcolors(maxcolors=1_000_000)
    # The zone with the most unmet needs is drawn in the darkest fill (#a61b1b).
    reds = sum(n for n, (r, g, b) in colours if r > 140 and g < 80 and b < 80)
    assert reds > 50
    assert len(colours) > 20
