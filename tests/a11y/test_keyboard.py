"""Keyboard alone: a resident asks for help without a mouse, and sees where the focus is."""

import pytest

from entraide.needs.models import HelpRequest

from .helpers import focus_outline, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_focus_visible(page) -> None:
    outline = focus_outline(page)
    assert outline["style"] != "none" and outline["width"] >= 2, f"no visible focus: {outline}"


def test_ask_for_help_with_the_keyboard_alone(open_page, live_server, paris):
    page = open_page("fr")
    page.goto(live_server.url + "/")

    tab_to(page, "main a.button-primary")  # "J'ai besoin d'aide"
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/request/new/")

    # Sending the empty form: the errors are announced, focused and linked to their fields.
    tab_to(page, "main form button[type=submit]")
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "error-summary"
    description = page.locator("#id_description")
    assert description.get_attribute("aria-invalid") == "true"
    described_by = description.get_attribute("aria-describedby").split()
    assert "id_description_error" in described_by
    assert page.locator("#id_description_error").inner_text().strip()
    assert summary.locator("a[href='#id_description']").count() == 1

    tab_to(page, "#id_zone")
    assert_focus_visible(page)
    page.keyboard.press("ArrowDown")
    assert page.input_value("#id_zone") != ""
    tab_to(page, "#id_category")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#id_category") != ""
    tab_to(page, "#id_description")
    assert_focus_visible(page)
    page.keyboard.type("Des courses pour la semaine.")
    tab_to(page, "input[name=urgency]:checked")
    before = page.evaluate("document.activeElement.value")
    page.keyboard.press("ArrowDown")
    after = page.evaluate("document.activeElement.value")
    assert after != before and page.is_checked(f"input[name=urgency][value='{after}']")
    tab_to(page, "#id_phone")
    page.keyboard.type("06 12 34 56 78")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Space")

    page.wait_for_selector("#private-link")
    help_request = HelpRequest.objects.get()
    assert help_request.description == "Des courses pour la semaine."
    assert help_request.urgency == int(after)
    assert help_request.reference in page.content()


def test_skip_link_is_first_and_visible_when_focused(open_page, live_server, paris):
    page = open_page("en")
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert_focus_visible(page)
    box = page.evaluate(
        "JSON.parse(JSON.stringify(document.activeElement.getBoundingClientRect()))"
    )
    assert box["x"] >= 0 and box["width"] > 0
