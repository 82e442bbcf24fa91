"""No personal datum of the demo data may appear on any public page, feed or API answer."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entraide.needs.categories import PUBLIC_CODES
from entraide.needs.demo import demo_load
from entraide.needs.models import OfferContact, RequestContact
from entraide.platform.phones import format_for_display


@pytest.fixture
def demo(paris):
    demo_load(territory=paris, requests=80, offers=40, seed=7)
    secrets = set()
    for contact in [*RequestContact.objects.all(), *OfferContact.objects.all()]:
        secrets |= {
            contact.first_name,
            contact.phone,
            format_for_display(contact.phone),
            contact.email,
            contact.address,
        }
    secrets |= {"01 99 00 12 34", "rue des Lilas", "demo@example.org"}
    return sorted(s for s in secrets if s)


ZONES = [f"750{n:02d}" for n in range(1, 21)]


def public_urls(zone: str, category: str, urgency: str, page: int) -> list[str]:
    query = f"category={category}&urgency={urgency}&page={page}"
    return [
        f"/zones/{zone}/?{query}",
        f"/zones/{zone}/?show=offers&{query}",
        f"/zones/{zone}/feed/",
        f"/api/v1/zones/{zone}/requests/?{query}",
        f"/api/v1/zones/{zone}/offers/?category={category}&page={page}",
        f"/api/v1/zones/{zone}/",
        "/",
        "/api/v1/zones/",
    ]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zone=st.sampled_from(ZONES),
    category=st.sampled_from(["", *sorted(PUBLIC_CODES)]),
    urgency=st.sampled_from(["", "0", "1", "2", "3"]),
    page=st.integers(min_value=1, max_value=3),
)
def test_property_no_personal_datum_in_public_output(client, demo, zone, category, urgency, page):
    for url in public_urls(zone, category, urgency, page):
        response = client.get(url)
        if response.status_code == 404:
            continue
        body = response.content.decode()
        leaked = [secret for secret in demo if secret in body]
        assert not leaked, (url, leaked)


def test_demo_descriptions_with_contact_data_are_on_the_board_scrubbed(client, demo):
    bodies = "".join(
        client.get(f"/api/v1/zones/{z}/requests/?page_size=100").content.decode() for z in ZONES
    )
    assert "pharmacie" in bodies or "Courses" in bodies
    assert "01 99 00 12 34" not in bodies


def test_offer_availability_is_published_scrubbed(api, paris, client):
    """Finding 5: the availability a helper types is shown only through the scrubber."""
    body = {
        "postcode": "75018",
        "categories": ["groceries"],
        "description": "Je peux faire des courses.",
        "availability": "Le soir, demandez Marcel au o6 12 34 56 78 ou marcel (a) free point fr",
        "contact": {"first_name": "Marcel", "email": "aide@example.org"},
    }
    created = api.post("/api/v1/offers/", body, format="json")
    assert created.status_code == 201
    outputs = [
        api.get("/api/v1/zones/75018/offers/").content.decode(),
        client.get("/zones/75018/?show=offers").content.decode(),
    ]
    for output in outputs:
        assert "Le soir, demandez" in output
        for secret in ("Marcel", "o6 12 34 56 78", "free point fr"):
            assert secret not in output
