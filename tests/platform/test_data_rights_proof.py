"""Everything held about a phone or an e-mail, only once it is proven (issue 12, findings
1 and 2): a code by SMS or a one-time link by e-mail, both through the outbox; wrong
codes refused and counted; staff and volunteer accounts never altered; no secret (reset
link, code) in any export.
"""

import json
import re

from django.contrib.auth import get_user_model
from django.urls import reverse

from entraide.needs import services
from entraide.needs.models import HelpRequest, RequestContact
from entraide.platform.models import AuditLog, OutboxMessage, Role, RoleGrant
from entraide.platform.outbox import outbox_deliver

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PHONE = "+33612345678"


def sent_secret(recipient: str) -> OutboxMessage:
    return OutboxMessage.objects.filter(recipient=recipient, secret=True).latest("id")


def ask_code(client, contact: str = "06 12 34 56 78") -> str:
    response = client.post(reverse("needs:data_rights_start"), {"contact": contact})
    assert response["Location"] == reverse("needs:data_rights_code")
    return re.search(r"\b(\d{6})\b", sent_secret(PHONE).body).group(1)


def test_cross_entry_export_after_proving_the_phone_with_the_code(client, make_request):
    make_request()
    make_request(category="violence", description="Il me menace, 14 rue Oberkampf.")
    assert client.get(reverse("needs:data_rights_download"))["Location"] == reverse(
        "needs:data_rights_start"
    )
    code = ask_code(client)

    wrong = client.post(reverse("needs:data_rights_code"), {"code": "000000"[: 6 - 1] + "9"}, **EN)
    assert "This code is not the one we sent" in wrong.text
    assert client.get(reverse("needs:data_rights_download")).status_code == 302

    right = client.post(reverse("needs:data_rights_code"), {"code": code})
    assert right["Location"] == reverse("needs:data_rights_home")
    data = json.loads(client.get(reverse("needs:data_rights_download")).content)
    assert len(data["sources"]["requests_for_help"]) == 2
    assert code not in json.dumps(data)
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"contact_proof_sent", "contact_proof_failed", "contact_proof_verified"} <= actions
    assert "export_personal_data" in actions


def test_code_attempts_are_limited(client, make_request):
    make_request()
    code = ask_code(client)
    for _attempt in range(5):
        client.post(reverse("needs:data_rights_code"), {"code": "999999"})
    late = client.post(reverse("needs:data_rights_code"), {"code": code}, **EN)
    assert "expired or was already used" in late.text
    assert client.get(reverse("needs:data_rights_home")).status_code == 302


def test_sending_codes_is_rate_limited_per_phone(client, make_request):
    make_request()
    for _attempt in range(3):
        client.post(reverse("needs:data_rights_start"), {"contact": PHONE})
    refused = client.post(reverse("needs:data_rights_start"), {"contact": PHONE}, **EN)
    assert "Too many attempts" in refused.text
    assert OutboxMessage.objects.filter(recipient=PHONE, secret=True).count() == 3


def test_bad_contact_gets_a_clear_error_and_nothing_is_sent(client, paris):
    response = client.post(reverse("needs:data_rights_start"), {"contact": "pas un numéro"})
    assert "Saisissez votre numéro de téléphone ou votre adresse e-mail." in response.text
    assert not OutboxMessage.objects.exists()


def test_reset_password_then_export_holds_no_reset_link(client, make_request):
    admin = get_user_model().objects.create_superuser(
        "admin", "admin@example.org", "a-Long-password-42"
    )
    client.post(reverse("people:password_reset"), {"email": "admin@example.org"})
    reset = OutboxMessage.objects.get(recipient="admin@example.org")
    reset_link = re.search(r"https?://\S+", reset.body).group(0)
    reset_token = reset_link.rstrip("/").rsplit("/", 1)[-1]
    assert reset.secret and reset_token not in reset.delivery_key

    # The attack: an entry carrying the admin's e-mail, then its export.
    attacker = client_for_entry(client, make_request, "admin@example.org")
    text = client.get(reverse("needs:entry_data", args=["request", attacker])).content.decode()
    assert reset_token not in text and "admin@example.org" in text

    # Delivered, the secret's text is gone from the outbox.
    outbox_deliver(reset.pk)
    reset.refresh_from_db()
    assert reset.status == "sent" and reset.body == ""

    # Even the proven owner of the address gets no secret's text.
    client.post(reverse("needs:data_rights_start"), {"contact": "admin@example.org"})
    proof = sent_secret("admin@example.org")
    link = re.search(r"https?://\S+", proof.body).group(0).split("testserver", 1)[-1]
    link = link.split("8000", 1)[-1]
    assert client.get(link)["Location"] == reverse("needs:data_rights_confirm")
    assert client.post(reverse("needs:data_rights_confirm"))["Location"] == reverse(
        "needs:data_rights_home"
    )
    export = client.get(reverse("needs:data_rights_download")).content.decode()
    assert reset_token not in export and "/my-data/link/" not in export
    admin.refresh_from_db()
    assert admin.is_active


def client_for_entry(client, make_request, email: str) -> str:
    created = make_request(contact=services.ContactInput(email=email))
    client.get(reverse("needs:request_private", args=[created.entry.reference, created.token]))
    return created.entry.reference


def test_proven_erasure_spares_staff_and_volunteer_accounts_and_says_so(
    client, make_request, make_volunteer
):
    volunteer = make_volunteer(phone=PHONE)
    coordinator = get_user_model().objects.create_user("coord", email="odette@example.org")
    RoleGrant.objects.create(user=coordinator, role=Role.ZONE_COORDINATOR)
    created = make_request()
    code = ask_code(client)
    client.post(reverse("needs:data_rights_code"), {"code": code})

    page = client.get(reverse("needs:data_rights_erase"), **EN)
    assert "Yes, erase my data" in page.text
    unticked = client.post(reverse("needs:data_rights_erase"), {}, **EN)
    assert "Tick the box to confirm the erasure." in unticked.text
    assert RequestContact.objects.get(help_request=created.entry).phone == PHONE

    done = client.post(reverse("needs:data_rights_erase"), {"confirm": "on"}, **EN)

    assert "Your personal data has been erased." in done.text
    assert "it was not changed" in done.text
    assert RequestContact.objects.get(help_request=created.entry).phone == ""
    assert HelpRequest.objects.get().status == "cancelled"
    volunteer.refresh_from_db()
    volunteer.user.refresh_from_db()
    assert volunteer.phone == PHONE and volunteer.user.is_active
    coordinator.refresh_from_db()
    assert coordinator.is_active and coordinator.email == "odette@example.org"
