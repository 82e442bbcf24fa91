"""Proof 3 — schemathesis against the project's own OpenAPI schema, in process (WSGI),
as an anonymous caller and as a signed-in volunteer, with every check schemathesis has
(``--checks all``: no 5xx, documented status codes, content types, headers and bodies,
invalid data rejected, valid data accepted, unsupported methods, ...), both with the
default cap on posts per connection and with a cap too high to reach. Bounded: a few
examples per operation, derandomized, so the run is short and repeatable."""

import importlib
import json
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

# Valid by the schema is not always valid by the rules: a phone number must exist, a
# window must not be over, a zone or a postcode must be given, an open-data period is at
# most 366 days, a postcode must have the deployment's territory's format (the schema
# is the same for every country). Those operations may answer such data with a 400 in
# the error shape (every other check still applies to them).
BUSINESS_RULES = (
    r"^/api/v1/(requests/|offers/|requests/\{reference\}/|open-data/.*|postcodes/\{postcode\}/)$"
)
ACCEPTED_POSITIVE = ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-path-regex": BUSINESS_RULES,
                "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED_POSITIVE}},
            }
        ]
    }
)


def _served_schema() -> schemathesis.schemas.BaseSchema:
    """The document ``/api/v1/schema/`` serves, made by the same generator in process.

    Loaded while pytest collects, before any test database exists, so it is not fetched
    over WSGI: every request first reads its territory from the database. The fuzzed
    calls themselves go through the whole WSGI application, middleware included."""
    generated = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    document = json.loads(OpenApiJsonRenderer().render(generated))
    loaded = schemathesis.openapi.from_dict(document, config=CONFIG)
    loaded.app = get_wsgi_application()
    loaded.location = "/api/v1/schema/"
    return loaded


schema = _served_schema()
load_all_checks()
ALL_CHECKS = [check for check in CHECKS.get_all() if callable(check)]
FUZZ = hypothesis_settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
# The cap of the real settings module (tests/conftest.py turns it off for other tests).
DEFAULT_POST_LIMIT = importlib.import_module("entraide.settings").ENTRAIDE_POSTS_PER_HOUR_PER_IP
RATE_LIMITS = {"default-rate-limit": DEFAULT_POST_LIMIT, "high-rate-limit": 1_000_000}

# Cases run and failures by check, printed at the end of the module (``pytest -s``).
CASES: Counter = Counter()
FAILURES: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    print(f"\nschemathesis: {sum(CASES.values())} cases, failures by check: {dict(FAILURES)}")


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a request must not close the test's database
    connection (it holds the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=RATE_LIMITS.values(), ids=RATE_LIMITS.keys())
def post_limit(request, settings):
    settings.ENTRAIDE_POSTS_PER_HOUR_PER_IP = request.param
    return request.param


@pytest.fixture
def volunteer_cookie(paris, make_volunteer, client) -> str:
    volunteer = make_volunteer()
    client.force_login(volunteer.user)
    return f"sessionid={client.cookies['sessionid'].value}"


def _call_and_validate(case, **kwargs) -> None:
    CASES[case.operation.label] += 1
    try:
        case.call_and_validate(checks=ALL_CHECKS, **kwargs)
    except BaseException as exc:
        for failure in getattr(exc, "exceptions", [exc]):
            FAILURES[type(failure).__name__] += 1
        raise


@schema.parametrize()
@FUZZ
def test_api_as_anonymous(case, paris, post_limit):
    _call_and_validate(case)


@schema.parametrize()
@FUZZ
def test_api_as_a_signed_in_volunteer(case, volunteer_cookie, post_limit):
    _call_and_validate(case, headers={"Cookie": volunteer_cookie})


@pytest.mark.parametrize("url", ["/api/v1/directory/practices/", "/api/v1/directory/measures/"])
def test_a_search_with_a_nul_character_is_answered(url, paris, client):
    """Found by the fuzzer on PostgreSQL, which refuses NUL in text: it was a 500."""
    response = client.get(url, {"q": "aide\x00alimentaire"})
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/open-data/requests/?to=0001-01-01", "from"),
        ("/api/v1/open-data/requests.csv?to=0001-01-01", "from"),
        ("/api/v1/open-data/requests/?to=", "to"),
        ("/api/v1/open-data/requests/?from=2026-1-1", "from"),
        ("/api/v1/zones/75011/requests/?category=jetpack", "category"),
        ("/api/v1/zones/75011/offers/?page=0", "page"),
        ("/api/v1/directory/measures/?open=perhaps", "open"),
        ("/api/v1/directory/practices/?theme=", "theme"),
        ("/api/v1/postcodes/0/", "postcode"),
    ],
)
def test_bad_input_is_a_400_that_names_the_field(url, field, paris, client):
    """Found by the fuzzer: a 500 (date overflow), filters silently ignored, a valid
    postcode shape unknown to the schema."""
    response = client.get(url)
    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert field in error["fields"]
    assert error["message"]


def test_a_page_after_the_last_is_a_documented_404(paris, client):
    response = client.get("/api/v1/zones/75011/requests/?page=2")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    responses = schema["paths"]["/api/v1/zones/{code}/requests/"]["get"]["responses"]
    assert {"200", "400", "404"} <= set(responses)


def test_creation_is_json_only_as_documented(paris, client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    for path in ("/api/v1/requests/", "/api/v1/offers/"):
        operation = schema["paths"][path]["post"]
        assert list(operation["requestBody"]["content"]) == ["application/json"]
        assert {"201", "400", "403", "415", "429"} <= set(operation["responses"])
        response = client.post(path, {"category": "groceries"})
        assert response.status_code == 415
        assert response.json()["error"]["code"] == "unsupported_media_type"
    cancel = schema["paths"]["/api/v1/requests/{reference}/cancel/"]["post"]["responses"]
    assert {"404", "409", "410"} <= set(cancel)
