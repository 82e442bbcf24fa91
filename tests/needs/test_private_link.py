"""A private link opens one entry, and one entry only (issue 12, findings 1 and 18).

The link is exchanged for the session on its first visit: the browser moves on to a URL
without the token, so access logs see the token once at most, and old links keep working.
Its data-rights pages export and erase that entry alone: the phone or e-mail typed into
an entry proves nothing about who holds it.
"""

import json

from django.contrib.auth import get_user_model
from django.urls import reverse

from entraide.needs import services
from entraide.needs.models import HelpRequest, RequestContact
from entraide.platform.models import AuditLog, Role, RoleGrant

VICTIM_PHONE = "06 12 34 56 78"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def attacker_form(**overrides) -> dict:
    values = {
        "zone": "75011",
        "postcode": "",
        "category": "medicines",
        "description": "Une demande quelconque.",
        "urgency": "2",
        "window_start": "",
        "window_end": "",
        "time_of_day": "any",
        "first_name": "Eve",
        "phone": VICTIM_PHONE,
        "email": "",
        "address": "",
    }
    values.update(overrides)
    return values


def post_as_attacker(client, **overrides) -> HelpRequest:
    response = client.post(reverse("needs:request_create"), attacker_form(**overrides))
    assert response.status_code == 302
    return HelpRequest.objects.latest("id")


def test_my_data_on_an_entry_with_the_victims_phone_shows_only_that_entry(
    client, make_request, make_volunteer
):
    victim = make_request(
        category="violence",
        description="Mon mari me frappe, venez au 14 rue Oberkampf.",
    )
    make_volunteer(phone="+33612345678", code_word="tournesol")
    attacker_entry = post_as_attacker(client)

    download = client.get(reverse("needs:entry_data", args=["request", attacker_entry.reference]))

    assert download.status_code == 200
    text = download.content.decode()
    data = json.loads(text)
    assert [row["reference"] for row in data["sources"]["requests_for_help"]] == [
        attacker_entry.reference
    ]
    assert victim.entry.reference not in text
    assert "Oberkampf" not in text and "frappe" not in text
    assert "tournesol" not in text
    assert data["sources"]["volunteer_profile"] == []
    assert data["sources"]["messages_sent"] == []
    assert AuditLog.objects.filter(
        action="export_personal_data", subject=f"entry:{attacker_entry.reference}"
    ).exists()


def test_forget_on_an_entry_with_a_coordinators_email_leaves_the_coordinator_alone(
    client, paris, make_request
):
    coordinator = get_user_model().objects.create_user(
        "coord", email="coord@example.org", password="x-Long-enough-42"
    )
    RoleGrant.objects.create(user=coordinator, role=Role.TERRITORY_COORDINATOR)
    other = make_request(contact=services.ContactInput(email="coord@example.org"))
    attacker_entry = post_as_attacker(client, phone="", email="coord@example.org")

    url = reverse("needs:entry_forget", args=["request", attacker_entry.reference])
    assert "Your other requests and offers are not affected" in client.get(url, **EN).text
    response = client.post(url, follow=True, **EN)

    assert f"The personal data of {attacker_entry.reference} has been erased." in response.text
    coordinator.refresh_from_db()
    assert coordinator.is_active and coordinator.email == "coord@example.org"
    assert coordinator.has_usable_password()
    assert RequestContact.objects.get(help_request=other.entry).email == "coord@example.org"
    attacker_entry.refresh_from_db()
    assert attacker_entry.status == "cancelled"
    assert RequestContact.objects.get(help_request=attacker_entry).email == ""
    # The session lost the entry with its data.
    assert (
        client.get(reverse("needs:request_page", args=[attacker_entry.reference])).status_code
        == 404
    )


def test_the_private_link_is_exchanged_for_the_session_and_leaves_the_url(client, make_request):
    created = make_request()
    reference, token = created.entry.reference, created.token

    response = client.get(reverse("needs:request_private", args=[reference, token]))

    assert response.status_code == 302
    assert response["Location"] == reverse("needs:request_page", args=[reference])
    assert token not in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and token not in page.text
    assert reverse("needs:request_cancel_page", args=[reference]) in page.text
    assert reverse("needs:entry_data", args=["request", reference]) in page.text


def test_old_action_links_redirect_and_a_posted_form_follows(client, make_request):
    created = make_request()
    reference, token = created.entry.reference, created.token
    old_cancel = reverse("needs:request_cancel", args=[reference, token])

    response = client.post(old_cancel, {"reason": "plus besoin"})

    assert response.status_code == 307
    assert response["Location"] == reverse("needs:request_cancel_page", args=[reference])
    client.post(response["Location"], {"reason": "plus besoin"})
    assert HelpRequest.objects.get().status == "cancelled"
    old_data = reverse("needs:my_data", args=["request", reference, token])
    assert client.get(old_data)["Location"] == reverse(
        "needs:entry_data", args=["request", reference]
    )


def test_token_free_pages_need_the_session_that_opened_the_link(client, make_request):
    created = make_request()
    reference = created.entry.reference
    for name, args in [
        ("needs:request_page", [reference]),
        ("needs:request_cancel_page", [reference]),
        ("needs:entry_data", ["request", reference]),
        ("needs:entry_forget", ["request", reference]),
    ]:
        response = client.get(reverse(name, args=args), **EN)
        assert response.status_code == 404, name
        assert "Open the private link you were given" in response.text
    forged = client.get(reverse("needs:request_private", args=[reference, "x" * 32]))
    assert forged.status_code == 404
    assert client.get(reverse("needs:request_page", args=[reference])).status_code == 404


def test_a_new_request_opens_in_the_session_and_shows_its_link_once(client, paris):
    client_class = type(client)
    response = client.post(reverse("needs:request_create"), attacker_form(phone="0611223344"))
    entry = HelpRequest.objects.get()
    assert response["Location"] == reverse("needs:request_page", args=[entry.reference])
    first = client.get(response["Location"])
    shown = first.text.split('id="private-link" type="text" readonly value="', 1)[1].split('"')[0]
    link = shown.removeprefix("http://testserver")
    assert link.startswith(f"/request/{entry.reference}/") and len(link.split("/")) == 5
    second = client.get(response["Location"])
    assert second.status_code == 200 and 'id="private-link"' not in second.text
    other_browser = client_class()
    assert other_browser.get(link).status_code == 302
    assert other_browser.get(response["Location"]).status_code == 200
