"""Proof 3 — schemathesis against the project's own OpenAPI schema, in process (WSGI),
as an anonymous caller and as a signed-in volunteer: no 5xx, and every documented
response conforms to the schema (body and content type). Bounded: a few examples per
operation, derandomized, so the run is short and repeatable."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@schemathesis.check
def routed_content_type_conformance(ctx, response, case):
    """Content types as documented, for URLs that reach an API view. A path parameter of
    the wrong shape (``/measures/null/`` for an integer id) matches no route at all and
    gets Django's HTML "not found" page, which the schema cannot describe."""
    try:
        resolve(case.formatted_path)
    except Resolver404:
        assert response.status_code == 404
        return None
    return content_type_conformance(ctx, response, case)


CHECKS = [not_a_server_error, response_schema_conformance, routed_content_type_conformance]
FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a request must not close the test's database
    connection (it holds the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def volunteer_cookie(paris, make_volunteer, client) -> str:
    volunteer = make_volunteer()
    client.force_login(volunteer.user)
    return f"sessionid={client.cookies['sessionid'].value}"


@schema.parametrize()
@FUZZ
def test_api_as_anonymous(case, paris):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_api_as_a_signed_in_volunteer(case, volunteer_cookie):
    case.call_and_validate(headers={"Cookie": volunteer_cookie}, checks=CHECKS)


@pytest.mark.parametrize("url", ["/api/v1/directory/practices/", "/api/v1/directory/measures/"])
def test_a_search_with_a_nul_character_is_answered(url, paris, client):
    """Found by the fuzzer on PostgreSQL, which refuses NUL in text: it was a 500."""
    response = client.get(url, {"q": "aide\x00alimentaire"})
    assert response.status_code == 200
    assert response.json()["count"] == 0
