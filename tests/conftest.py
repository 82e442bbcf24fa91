import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from entraide.needs import services
from entraide.territory.models import Territory, Zone
from entraide.territory.services import zones_import_laposte


def _uses_database(request: pytest.FixtureRequest) -> bool:
    return bool(
        {"db", "transactional_db", "django_db_reset_sequences"} & set(request.fixturenames)
        or request.node.get_closest_marker("django_db")
    )


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters(request):
    """Every test starts with empty rate-limit counters; the limits themselves stay on.

    The counters live in the shared cache, a store like the e-mail and SMS sinks, not a
    security setting. Every test client comes from 127.0.0.1, and the cache table is not
    flushed after transactional tests, so without this, posts counted by earlier tests
    would trip the cap in later ones.
    """
    if _uses_database(request):
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            cache.clear()


@pytest.fixture
def paris(db) -> Territory:
    """The real Paris territory from La Poste's file: 20 arrondissements."""
    existing = Territory.objects.filter(slug="paris").first()
    if existing:
        return existing
    return zones_import_laposte(
        path=settings.ENTRAIDE_POSTCODE_FILE,
        territory_name="Paris",
        territory_slug="paris",
        communes=["PARIS"],
    ).territory


@pytest.fixture
def zone_11(paris) -> Zone:
    return paris.zones.get(code="75011")


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def request_input(**overrides) -> services.RequestInput:
    contact = overrides.pop("contact", None) or services.ContactInput(
        first_name="Odette",
        phone="06 12 34 56 78",
        email="odette@example.org",
        address="14 rue Oberkampf",
    )
    values = {
        "category": "groceries",
        "description": "Des courses pour la semaine, merci.",
        "urgency": 2,
        "window_start": timezone.localdate(),
        "window_end": timezone.localdate() + dt.timedelta(days=3),
        "contact": contact,
    }
    values.update(overrides)
    return services.RequestInput(**values)


def offer_input(**overrides) -> services.OfferInput:
    values = {
        "categories": ("groceries", "transport"),
        "description": "J'ai une voiture le samedi.",
        "availability": "Samedi matin",
        "contact": services.ContactInput(first_name="Marcel", phone="+33 7 81 22 33 44"),
    }
    values.update(overrides)
    return services.OfferInput(**values)


@pytest.fixture
def make_request(zone_11):
    def make(zone=None, **overrides) -> services.Created:
        return services.help_request_create(zone=zone or zone_11, data=request_input(**overrides))

    return make


@pytest.fixture
def make_offer(zone_11):
    def make(zone=None, **overrides) -> services.Created:
        return services.help_offer_create(zone=zone or zone_11, data=offer_input(**overrides))

    return make


@pytest.fixture
def make_volunteer(zone_11, django_user_model):
    """A volunteer living near the centre of the 11th, verified unless told otherwise."""
    from entraide.people.models import VettingStatus, Volunteer

    counter = {"n": 0}

    def make(zone=None, **overrides) -> "Volunteer":
        counter["n"] += 1
        zone = zone or zone_11
        user = django_user_model.objects.create_user(
            f"vol{counter['n']}@example.org", email=f"vol{counter['n']}@example.org"
        )
        values = {
            "user": user,
            "first_name": f"Bénévole{counter['n']}",
            "zone": zone,
            "home_lat": zone.centroid_lat + 0.001 * counter["n"],
            "home_lon": zone.centroid_lon,
            "radius_km": 3,
            "categories": ["groceries", "medicines"],
            "languages": ["fr"],
            "availability": [],
            "vetting_status": VettingStatus.VERIFIED,
            "code_word": f"tilleul-{counter['n']}",
        }
        values.update(overrides)
        return Volunteer.objects.create(**values)

    return make
