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
from entraide.missions.demo import demo_missions_load
from entraide.missions.models import Mission
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
    demo_missions_load(territory=paris, seed=11)
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
    # A mission's meeting place is for the volunteers holding a place only.
    literal |= set(Mission.objects.values_list("meeting_place", flat=True))
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
    urls += [f"/missions/{pk}/" for pk in Mission.objects.values_list("pk", flat=True)]
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


# --- One list of public fields per model, and a world full of planted personal data ---

PLANTED_PEOPLE = [
    # (first name, phone as typed, e-mail as typed, address as typed)
    (
        "Philomène",
        "o6,47_21*93|58",
        "philomene (arobase) orange point fr",
        "17 bis de la rue Keller",
    ),
    (
        "Anatole",
        "zéro six douze trente-quatre cinquante-six soixante-dix-huit",
        "anatole\uff20free.fr",
        "12 bd. Voltaire",
    ),
    ("Hortense", "07 - 61 - 38 - 42 - 95", "hortense [at] gmail [dot] com", "3 r Oberkampf"),
]
# What must never be readable in public, whatever the spelling above.
PLANTED_SECRETS = [
    "Philomène",
    "Anatole",
    "Hortense",
    "47_21",
    "93|58",
    "trente-quatre",
    "soixante-dix-huit",
    "61 - 38",
    "orange point fr",
    "free.fr",
    "gmail",
    "Keller",
    "Voltaire",
    "Oberkampf",
]


@pytest.fixture
def planted(paris):
    """Every free-text field of requests and offers carries its author's personal data."""
    from entraide.needs import services

    zone = paris.zones.get(code="75011")
    for first_name, phone, email, address in PLANTED_PEOPLE:
        text = f"Bonjour, c'est {first_name}, {phone}, {email}, j'habite au {address}."
        contact = services.ContactInput(
            first_name=first_name, phone="06 47 21 93 58", address=address
        )
        services.help_request_create(
            zone=zone,
            data=services.RequestInput(category="groceries", description=text, contact=contact),
        )
        services.help_offer_create(
            zone=zone,
            data=services.OfferInput(
                categories=("groceries",),
                description=text,
                availability=f"Le soir, demandez {first_name} au {phone} ou {email}"[:200],
                contact=contact,
            ),
        )
    return zone


PLANTED_URLS = [
    "/zones/75011/",
    "/zones/75011/?show=offers",
    "/zones/75011/feed/",
    "/api/v1/zones/75011/requests/?page_size=100",
    "/api/v1/zones/75011/offers/?page_size=100",
    "/api/v1/open-data/requests/",
    "/api/v1/open-data/requests.csv",
]


def test_planted_personal_data_never_leaves_publicly(planted, client, django_user_model):
    from entraide.platform.models import Role
    from entraide.platform.roles import role_grant

    bodies = {url: client.get(url) for url in PLANTED_URLS}
    assert all(response.status_code == 200 for response in bodies.values())
    texts = {url: response.content.decode("utf-8-sig") for url, response in bodies.items()}
    assert "Le soir, demandez" in texts["/zones/75011/?show=offers"], "the crawl is vacuous"
    coordinator = django_user_model.objects.create_user("coord-planted@example.org")
    role_grant(user=coordinator, role=Role.ZONE_COORDINATOR, zone=planted)
    client.force_login(coordinator)
    for kind in ("requests", "offers"):
        for fmt in ("csv", "geojson"):
            url = reverse("insight:export") + f"?kind={kind}&fmt={fmt}"
            response = client.get(url)
            texts[url] = b"".join(response.streaming_content).decode("utf-8-sig")
    leaked = {url: [s for s in PLANTED_SECRETS if s in text] for url, text in texts.items()}
    assert not {url: found for url, found in leaked.items() if found}


def test_public_serializers_are_the_public_field_lists():
    from entraide.needs import selectors
    from entraide.needs.api import PublicOfferSerializer, PublicRequestSerializer

    for serializer, fields, properties, extra in (
        (
            PublicRequestSerializer,
            selectors.PUBLIC_REQUEST_FIELDS,
            selectors.PUBLIC_REQUEST_PROPERTIES,
            {"category_label", "urgency_label"},
        ),
        (
            PublicOfferSerializer,
            selectors.PUBLIC_OFFER_FIELDS,
            selectors.PUBLIC_OFFER_PROPERTIES,
            {"categories"},
        ),
    ):
        declared = serializer().fields
        assert set(declared) == set(selectors.public_api_names(fields)) | extra
        for name, field in declared.items():
            root = field.source.split(".")[0]
            assert root in fields or root in properties, (serializer.__name__, name, root)


def test_exports_without_contacts_are_the_public_field_lists():
    from entraide.insight import exports
    from entraide.needs import selectors

    for columns, fields in (
        (exports.REQUEST_COLUMNS, selectors.PUBLIC_REQUEST_FIELDS),
        (exports.OFFER_COLUMNS, selectors.PUBLIC_OFFER_FIELDS),
    ):
        public = {column.split("__")[0] for column in columns} - set(exports.OPERATIONAL_COLUMNS)
        assert public == set(fields) - {"id"}


_COLUMN = re.compile(r'"(needs_\w+)"\."(\w+)"')


def test_public_outputs_read_only_public_columns(planted, client):
    """The board, feed and public API may not even load a private column from the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from entraide.needs import selectors

    def columns(fields: tuple[str, ...]) -> set[str]:
        return {f"{name}_id" if name in ("zone", "offer") else name for name in fields}

    allowed = {
        "needs_helprequest": columns(selectors.PUBLIC_REQUEST_FIELDS),
        "needs_helpoffer": columns(selectors.PUBLIC_OFFER_FIELDS),
        "needs_offercategory": columns(selectors.PUBLIC_OFFER_CATEGORY_FIELDS),
    }
    read = set()
    for url in PLANTED_URLS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        for query in queries:
            read |= set(_COLUMN.findall(query["sql"]))
    private = sorted((t, c) for t, c in read if c not in allowed.get(t, set()))
    assert not private


def test_certificate_verification_pages_name_nobody(demo, paris):
    """A certificate's public check (valid, revoked, unknown) shows its period and total,
    never the volunteer: no name, e-mail, phone or code word of anyone in the demo."""
    import datetime as dt

    from django.utils import timezone

    from entraide.recognition import services as recognition

    client = Client()
    today = timezone.localdate()
    urls = []
    for index, volunteer in enumerate(Volunteer.objects.select_related("user")[:3]):
        recognition.hours_record(
            volunteer=volunteer,
            source="assignment",
            source_key=f"crawl:{volunteer.pk}",
            minutes=90 + index,
            worked_on=today - dt.timedelta(days=3),
            zone=volunteer.zone,
            category="groceries",
            confirmed=True,
        )
        certificate, code = recognition.certificate_issue(
            volunteer=volunteer, period_start=today - dt.timedelta(days=30), period_end=today
        )
        if index == 2:
            recognition.certificate_revoke(
                certificate=certificate, user=volunteer.user, reason="test"
            )
        urls.append(reverse("recognition:verify_code", args=[code]))
    urls += [
        reverse("recognition:verify_code", args=["ABCD-EFGH-JKLM-NPQR"]),
        reverse("recognition:verify") + "?code=abcd efgh jklm npqr",
    ]
    bodies = []
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), url
        bodies.append(response.content.decode())
    assert "1 h 30" in bodies[0] and "révoquée" in bodies[2] and "Code inconnu" in bodies[3]
    assert not [
        (url, leaks(body, demo))
        for url, body in zip(urls, bodies, strict=True)
        if leaks(body, demo)
    ]


def test_interoperability_outputs_name_nobody(demo, paris, django_user_model):
    """HSDS (every list and item), the opening hours (.ics), the measure page's JSON-LD
    and the HXL open data, with measures proposed by the demo organisations' members:
    no name, phone, e-mail or address of anyone, no exact point."""
    import datetime as dt

    from entraide.directory import services as directory
    from entraide.directory.hsds import ids, serialise
    from entraide.directory.models import MeasureSchedule
    from entraide.directory.states import MeasureState
    from entraide.people.models import Organisation
    from entraide.platform.models import Role
    from entraide.platform.roles import role_grant

    coordinator = django_user_model.objects.create_user("crawl-coord@example.org")
    role_grant(user=coordinator, role=Role.TERRITORY_COORDINATOR)
    zone = paris.zones.get(code="75011")
    measures = []
    for index, organisation in enumerate([*Organisation.objects.all(), None]):
        measure = directory.measure_create(
            territory=paris,
            data=directory.MeasureInput(
                title=f"Mesure d'entraide numéro {index}",
                summary="Des colis pour les familles du quartier.",
                level="community" if organisation else "municipal",
                eligibility="Toute famille du quartier.",
                benefits="Un colis par semaine.",
                how_to_apply="Venir au local aux heures d'ouverture.",
                source_url="https://www.example.org/colis",
                themes=("food_security",),
                zones=(zone,),
            ),
            actor=coordinator,
            organisation=organisation,
        )
        MeasureSchedule.objects.create(
            measure=measure, weekday="TU", opens_at=dt.time(10), closes_at=dt.time(12)
        )
        for state in (MeasureState.PENDING_REVIEW, MeasureState.PUBLISHED):
            directory.measure_transition(measure=measure, to_state=state, actor=coordinator)
        measures.append(measure)
    urls = [
        reverse(name)
        for name in (
            "hsds-root",
            "hsds-services",
            "hsds-organizations",
            "hsds-service-at-locations",
            "hsds-locations",
            "hsds-taxonomy-terms",
        )
    ]
    urls.append("/api/v1/open-data/requests.csv?hxl=1")
    for measure in measures:
        service_id = ids.measure_id(measure)
        urls += [
            reverse("hsds-service", args=[service_id]),
            reverse(
                "hsds-organization",
                args=[serialise.organisation_id(measure.organisation, measure.territory)],
            ),
            reverse(
                "hsds-service-at-location",
                args=[ids.child_id(service_id, "service_at_location", "source")],
            ),
            reverse("hsds-location", args=[ids.child_id(service_id, "location", "source")]),
            reverse("interop:measure_hours", args=[measure.pk]),
            reverse("directory:measure", args=[measure.pk]),
        ]
    client, allowed, problems = Client(), centroids(), []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        found, bad = leaks(body, demo), off_grid_points(body, allowed)
        if found or bad:
            problems.append((url, found[:5], bad[:5]))
    assert not problems
    services_page = client.get(reverse("hsds-services")).json()
    assert services_page["total_items"] == len(measures), "the crawl is vacuous"
