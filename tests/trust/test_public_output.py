"""Proof 2 — the public-output crawl.

With the demo loaded (requests, offers, volunteers, organisations), every public page
of the access table (GET, open to everyone) is rendered for every zone, with the board's
filters and pages, plus the API, feeds, open data (JSON, CSV), posters and SMS replies.
None may contain a name, a phone number in any spelling, an e-mail, a street address, or
a point that is neither on the public grid nor a zone centroid.
"""

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from entraide.channels.simulator import ClientTransport, SmsConversation
from entraide.needs.demo import demo_load
from entraide.needs.models import HelpRequest, OfferContact, RequestContact
from entraide.people.demo import demo_organisations_load, demo_volunteers_load
from entraide.people.models import Volunteer
from entraide.platform.privacy import snap_to_grid
from entraide.territory.models import Zone

from .test_access_matrix import EVERYONE, EXPECTED, named_patterns

# Paris: a latitude 48.x next to a longitude 2.x, in text, JSON, CSV or HTML attributes.
POINT = re.compile(r"(4[89]\.\d{3,})[^0-9]{1,40}?(2\.\d{3,})")
GEOJSON_POINT = re.compile(r"\[\s*(2\.\d{3,})\s*,\s*(4[89]\.\d{3,})\s*\]")


def phone_spellings(e164: str) -> set[str]:
    """+33199001234 → +33199001234, 01 99 00 12 34, 0199001234, 01.99.00.12.34, …"""
    national = "0" + e164.removeprefix("+33")
    pairs = [national[i : i + 2] for i in range(0, len(national), 2)]
    return {
        e164,
        national,
        " ".join(pairs),
        ".".join(pairs),
        "-".join(pairs),
        "+33 " + " ".join([national[1], *pairs[1:]]),
        e164.replace("+", "%2B"),
    }


@pytest.fixture
def demo(paris):
    demo_load(territory=paris, requests=80, offers=40, seed=11)
    demo_volunteers_load(territory=paris, count=30, seed=11)
    demo_organisations_load(territory=paris)
    literal, names = set(), set()
    contacts = [*RequestContact.objects.all(), *OfferContact.objects.all()]
    for contact in contacts:
        literal |= {contact.email, contact.address}
        names.add(contact.first_name)
        if contact.phone:
            literal |= phone_spellings(contact.phone)
    for volunteer in Volunteer.objects.select_related("user"):
        literal |= {volunteer.user.email, volunteer.code_word}
        names.add(volunteer.first_name.removesuffix(" (démo)"))
        if volunteer.phone:
            literal |= phone_spellings(volunteer.phone)
    literal.discard("")
    names.discard("")
    name_pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b")
    assert len(contacts) >= 120 and len(names) > 10
    return sorted(literal), name_pattern


def leaks(body: str, demo) -> list[str]:
    literal, name_pattern = demo
    found = [secret for secret in literal if secret in body]
    found += [f"name:{m.group(0)}" for m in name_pattern.finditer(body)]
    return found


def centroids() -> set[tuple[float, float]]:
    return {
        (round(lat, 5), round(lon, 5))
        for lat, lon in Zone.objects.values_list("centroid_lat", "centroid_lon")
    }


def off_grid_points(body: str, allowed: set[tuple[float, float]]) -> list[tuple[float, float]]:
    points = [(float(a), float(b)) for a, b in POINT.findall(body)]
    points += [(float(lat), float(lon)) for lon, lat in GEOJSON_POINT.findall(body)]
    bad = []
    for lat, lon in points:
        on_grid = snap_to_grid(lat, lon)
        if abs(on_grid[0] - lat) < 2e-5 and abs(on_grid[1] - lon) < 2e-5:
            continue
        if any(abs(c[0] - lat) < 2e-5 and abs(c[1] - lon) < 2e-5 for c in allowed):
            continue
        bad.append((lat, lon))
    return bad


PUBLIC_PAGES = sorted(
    name for name, (method, allowed) in EXPECTED.items() if method == "GET" and allowed == EVERYONE
)
ARGUMENTS = {"postcode": ["75011", "75020"], "design": ["help", "stickers", "offer"]}
VARIANTS = ["", "?show=offers", "?page=2", "?urgency=3", "?category=groceries", "?format=csv"]


def public_urls(zone_codes: list[str], pks: dict[str, int]) -> list[str]:
    routes = named_patterns()
    urls = []
    for name in PUBLIC_PAGES:
        keys = routes.get(name)
        if keys is None:
            continue
        combos = [{}]
        for key in keys:
            if key == "code":
                values = zone_codes
            elif key == "pk":
                values = [pks[name]] if name in pks else []
            else:
                values = ARGUMENTS.get(key, [])
            combos = [{**combo, key: value} for combo in combos for value in values]
        for kwargs in combos:
            base = reverse(name, kwargs=kwargs)
            urls += [base + variant for variant in VARIANTS] if "code" in keys else [base]
    return urls


def test_no_personal_datum_or_exact_point_in_any_public_output(demo, paris):
    client = Client()
    codes = list(paris.zones.order_by("code").values_list("code", flat=True))
    urls = public_urls(codes, pks={})
    urls += [
        "/api/v1/zones/75011/requests/?page_size=100",
        "/api/v1/zones/75011/offers/?page_size=100",
    ]
    allowed_points = centroids()
    rendered, problems = 0, []
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue
        rendered += 1
        body = response.content.decode("utf-8", errors="replace")
        if response.get("Content-Type", "").startswith("application/pdf"):
            body = response.content.decode("latin-1")
        found = leaks(body, demo)
        bad = off_grid_points(body, allowed_points)
        if found or bad:
            problems.append((url, found[:5], bad[:5]))
    assert not problems
    assert rendered > 20 * 5, rendered


def test_board_feeds_and_open_data_do_show_the_demo_needs(demo, client):
    """The crawl is not vacuous: public outputs carry the (scrubbed) requests."""
    zone = HelpRequest.objects.values_list("zone__code", flat=True).first()
    api = json.loads(client.get(f"/api/v1/zones/{zone}/requests/?page_size=100").content)
    assert api["results"], "the public board of a zone with demo requests is empty"
    feed = client.get(reverse("needs:board_feed", args=[zone])).content.decode()
    assert "<item>" in feed or "<entry>" in feed


def test_sms_replies_reveal_nothing_about_other_people(demo, paris, client):
    stranger = SmsConversation(
        transport=ClientTransport(client),
        base_url="http://testserver",
        token=settings.TWILIO_AUTH_TOKEN,
        sender="+33611223344",
    )
    references = list(HelpRequest.objects.values_list("reference", flat=True)[:5])
    replies = [stranger.send(body) for body in ("AIDE", "INFO", "bonjour", "AIDE 75011 courses")]
    for reference in references:
        replies += [stranger.send(f"STATUT {reference}"), stranger.send(f"ANNULER {reference}")]
    replies = [reply for reply in replies if reply]
    assert len(replies) >= 5
    problems = [(reply, leaks(reply, demo)) for reply in replies if leaks(reply, demo)]
    assert not problems
    assert not any(off_grid_points(reply, centroids()) for reply in replies)
