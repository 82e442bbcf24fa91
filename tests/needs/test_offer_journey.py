"""Journey 2, a neighbour offers help without an account, through the Django test client
on the real URLs: the private link is sent, the zone's coordinators are told (without the
contact), and the confirmation invites them to sign up as a verified volunteer."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from entraide.needs.models import HelpOffer
from entraide.platform.models import OutboxMessage, Role
from entraide.platform.roles import role_grant

pytestmark = pytest.mark.django_db

FORM = {
    "zone": "75011",
    "categories": ["groceries", "transport"],
    "description": "J'ai une voiture le samedi.",
    "availability": "Samedi matin",
    "first_name": "Marcel",
    "phone": "07 81 22 33 44",
    "email": "marcel@example.org",
}


def _french(client):
    client.cookies["django_language"] = "fr"
    return client


@pytest.fixture
def coordinators(paris, django_user_model):
    zone_11 = paris.zones.get(code="75011")
    zone_20 = paris.zones.get(code="75020")
    users = {}
    for name, role, zone in [
        ("zone11", Role.ZONE_COORDINATOR, zone_11),
        ("zone20", Role.ZONE_COORDINATOR, zone_20),
        ("city", Role.TERRITORY_COORDINATOR, None),
    ]:
        users[name] = django_user_model.objects.create_user(
            username=name, email=f"{name}@ville.example", password="unused-password-1"
        )
        role_grant(user=users[name], role=role, zone=zone)
    return users


def test_private_link_is_sent_by_sms_and_email_as_a_secret(client, paris):
    response = _french(client).post(reverse("needs:offer_create"), FORM)
    assert response.status_code == 302
    offer = HelpOffer.objects.get()
    sms = OutboxMessage.objects.get(channel="sms", recipient="+33781223344")
    mail = OutboxMessage.objects.get(channel="email", recipient="marcel@example.org")
    assert sms.secret and mail.secret
    assert offer.reference in sms.body and "lien privé" in sms.body
    assert "devenez bénévole vérifié" in mail.body
    path = re.search(r"https?://[^/\s]+(/offer/\S+/)", mail.body).group(1)
    page = _french(client.__class__()).get(path, follow=True)
    assert page.status_code == 200
    assert offer.reference in page.content.decode()


def test_confirmation_says_what_happens_next_and_invites_to_sign_up(client, paris):
    page = _french(client).post(reverse("needs:offer_create"), FORM, follow=True)
    text = page.content.decode()
    assert "Pour être mis en relation avec des voisins, devenez bénévole vérifié" in text
    assert "Les coordinateurs de" in text and "ont été prévenus" in text
    sign_up_url = page.context["sign_up_url"]
    split = urlsplit(sign_up_url)
    assert split.path == reverse("people:sign_up")
    query = parse_qs(split.query)
    assert query == {"zone": ["75011"], "categories": ["groceries", "transport"]}
    assert "marcel" not in sign_up_url.lower() and "token" not in sign_up_url
    assert "78" not in split.query

    form = client.get(sign_up_url).context["form"]
    assert form["zone"].value() == "75011"
    assert form["categories"].value() == ["groceries", "transport"]
    assert form["first_name"].value() == "Marcel"
    assert form["email"].value() == "marcel@example.org"
    assert form["phone"].value() == "07 81 22 33 44"


def test_private_offer_page_repeats_the_next_steps(client, paris):
    _french(client).post(reverse("needs:offer_create"), FORM, follow=True)
    offer = HelpOffer.objects.get()
    page = client.get(reverse("needs:offer_page", args=[offer.reference]))
    text = page.content.decode()
    assert "Pour être mis en relation avec des voisins, devenez bénévole vérifié" in text
    assert "Votre lien privé" not in text  # the link itself is shown only once


def test_coordinators_of_the_zone_are_told_without_the_contact(client, coordinators):
    _french(client).post(reverse("needs:offer_create"), FORM)
    offer = HelpOffer.objects.get()
    told = OutboxMessage.objects.filter(recipient__endswith="@ville.example")
    assert sorted(told.values_list("recipient", flat=True)) == [
        "city@ville.example",
        "zone11@ville.example",
    ]
    for message in told:
        assert offer.reference in message.subject and offer.reference in message.body
        assert "Courses" in message.body or "courses" in message.body
        for private in ("Marcel", "marcel@", "33 44", "3344", "voiture"):
            assert private not in message.body and private not in message.subject


def test_every_mistake_is_shown_at_once_and_nothing_is_stored(client, coordinators):
    page = _french(client).post(
        reverse("needs:offer_create"),
        {
            "zone": "",
            "postcode": "",
            "categories": [],
            "description": "",
            "phone": "12",
            "email": "pas-une-adresse",
        },
    )
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert set(errors) >= {"zone", "categories", "description", "phone", "email"}
    text = page.content.decode()
    assert "Ce champ est obligatoire" in text
    assert "adresse e-mail valide" in text
    assert not HelpOffer.objects.exists() and not OutboxMessage.objects.exists()


def test_a_sensitive_category_is_refused_with_nothing_stored(client, coordinators):
    page = _french(client).post(reverse("needs:offer_create"), {**FORM, "categories": ["distress"]})
    assert page.status_code == 200
    assert "categories" in page.context["form"].errors
    assert not HelpOffer.objects.exists() and not OutboxMessage.objects.exists()
