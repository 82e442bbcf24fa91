import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from entraide.needs import services
from entraide.territory.models import Territory, Zone
from entraide.territory.services import zones_import_laposte


def pytest_collection_modifyitems(items):
    """Under pytest-xdist (``--dist loadgroup``, scripts/test.sh), the tests that drive
    Chromium against a live server run in one worker, one after the other, as do the
    thread tests: several browsers or thread swarms at once would starve the machine."""
    for item in items:
        if item.get_closest_marker("browser") or "live_server" in item.fixturenames:
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif item.get_closest_marker("concurrency"):
            item.add_marker(pytest.mark.xdist_group("concurrency"))


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


@pytest.fixture(scope="session")
def paris_postcode_file(tmp_path_factory) -> Path:
    """Paris's lines of La Poste's file, cut once per session: the import reads the same
    rows and gives the same result, from 40 lines instead of 39,000."""
    source = Path(settings.ENTRAIDE_POSTCODE_FILE)
    target = tmp_path_factory.mktemp("postcodes") / source.name
    with source.open(encoding="utf-8", newline="") as reader:
        lines = reader.readlines()
    with target.open("w", encoding="utf-8", newline="") as writer:
        writer.write(lines[0])
        for line in lines[1:]:
            fields = line.split(";")
            if "PARIS" in (fields[1].upper(), fields[4].upper()):
                writer.write(line)
    return target


def _import_paris(path: Path) -> Territory:
    return zones_import_laposte(
        path=path,
        territory_name="Paris",
        territory_slug="paris",
        communes=["PARIS"],
    ).territory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, paris_postcode_file):
    """The test database (one per xdist worker), with Paris imported once and committed:
    each test's transaction is rolled back, so every test starts from the same territory."""
    with django_db_blocker.unblock():
        _import_paris(paris_postcode_file)


@pytest.fixture(autouse=True)
def _paris_after_a_flush(request):
    """A transactional test (``transactional_db``, ``live_server``) empties every table when
    it ends; the next test that uses the database imports Paris again, before its own
    transaction starts, so that the import is kept for the tests after it."""
    if not _uses_database(request):
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        if not Territory.objects.filter(slug="paris").exists():
            _import_paris(request.getfixturevalue("paris_postcode_file"))


@pytest.fixture
def paris(db, paris_postcode_file) -> Territory:
    """The real Paris territory from La Poste's file: 20 arrondissements, imported once
    per test database (``django_db_setup`` above), or again if a test removed it."""
    return Territory.objects.filter(slug="paris").first() or _import_paris(paris_postcode_file)


@pytest.fixture
def no_territory(db) -> None:
    """No territory at all, for the tests about an empty installation (rolled back)."""
    Territory.objects.all().delete()


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
