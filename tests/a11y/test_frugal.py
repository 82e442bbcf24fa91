"""Frugal: the resident flows work without JavaScript, and public pages stay light.

Run with `-s` to print each public page's weight and request count.
"""

import pytest

from entraide.needs.models import HelpOffer, HelpRequest
from entraide.needs.states import RequestStatus

from .pages import PUBLIC_PAGES, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_BYTES = 100 * 1024
MAX_REQUESTS = 20


def test_resident_flows_work_without_javascript(open_page, live_server, paris):
    page = open_page("fr", javascript=False)
    url = live_server.url
    assert page.evaluate("1") == 1  # Playwright still runs its own checks

    # Find one's zone by postcode.
    page.goto(url + "/")
    page.fill("#id_postcode", "75011")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/zones/75011/")

    # Post a request.
    page.locator("main .actions a.button-primary").click()
    page.select_option("#id_zone", "75011")
    page.select_option("#id_category", "groceries")
    page.fill("#id_description", "Des courses pour la semaine.")
    page.fill("#id_phone", "06 12 34 56 78")
    page.locator("main form button[type=submit]").click()
    private_link = page.input_value("#private-link")
    help_request = HelpRequest.objects.get()

    # Post an offer.
    page.goto(url + "/offer/new/?zone=75011")
    page.check("input[name=categories][value=groceries]")
    page.fill("#id_description", "J'ai une voiture le samedi.")
    page.fill("#id_phone", "07 81 22 33 44")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#private-link")
    offer = HelpOffer.objects.get()

    # See the board, then its offers.
    page.goto(url + "/zones/75011/")
    assert page.locator(f"#{help_request.reference}").is_visible()
    page.locator("nav.tabs a[href='?show=offers']").click()
    assert page.locator(f"#{offer.reference}").is_visible()

    # Follow, then cancel the request with the private link.
    page.goto(private_link)
    private_page = page.url  # the link is exchanged for the session: no token in this URL
    assert private_page != private_link
    page.locator("main a[href$='/cancel/']").click()
    page.locator("main form button.button-danger").click()
    page.wait_for_url(private_page)
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.CANCELLED
    page.goto(url + "/zones/75011/")
    assert page.locator(f"#{help_request.reference}").count() == 0


@pytest.mark.parametrize("target", PUBLIC_PAGES, ids=str)
def test_public_page_weight(target, open_page, live_server, paris):
    """Bytes on the wire (Chromium's encodedDataLength: headers + body) and request count."""
    page = open_page("fr")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    loaded: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: loaded.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    target.build(page, Site(live_server.url, paris))
    page.wait_for_load_state("networkidle")
    requests = [rid for rid, u in urls.items() if not u.startswith("data:")]
    total = sum(loaded.get(rid, 0) for rid in requests)
    print(f"\n[budget] {target}: {total / 1024:.1f} KB in {len(requests)} requests")
    assert total < MAX_BYTES, f"{target}: {total} bytes transferred (budget {MAX_BYTES})"
    assert len(requests) < MAX_REQUESTS, f"{target}: {len(requests)} requests"
