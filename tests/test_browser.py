"""A resident posts a request in French from the home page, in a real Chromium."""

import pytest

from entraide.needs.models import HelpRequest
from tests.chromium import launched_chromium

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page():
    with launched_chromium() as browser:
        yield browser.new_context(locale="fr-FR").new_page()


@pytest.mark.django_db(transaction=True)
def test_resident_posts_a_request_and_sees_it_on_the_board(live_server, paris, browser_page):
    page = browser_page
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.click("a.button-primary")
    page.select_option("#id_zone", "75011")
    page.select_option("#id_category", "groceries")
    page.fill("#id_description", "Des courses pour la semaine. Appelez-moi au 06 12 34 56 78.")
    page.check("input[name=urgency][value='2']")
    page.fill("#id_phone", "06 12 34 56 78")
    page.fill("#id_address", "14 rue Oberkampf")
    page.click("main form button.button-primary")

    page.wait_for_selector("#private-link")
    reference = HelpRequest.objects.get().reference
    assert reference in page.content()

    page.goto(live_server.url + "/zones/75011/")
    card = page.locator(f"#{reference}")
    assert card.is_visible()
    board = page.content()
    for secret in ["06 12 34 56 78", "+33612345678", "Oberkampf"]:
        assert secret not in board
