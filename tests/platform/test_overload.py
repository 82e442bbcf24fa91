"""Abuse and overload: fast, clear refusals, and recovery without anyone stepping in."""

import json

from django.db import OperationalError
from django.urls import reverse

from entraide.needs.models import HelpRequest
from tests.needs.test_web import request_form

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_posting_is_capped_per_connection(client, paris, settings):
    settings.ENTRAIDE_POSTS_PER_HOUR_PER_IP = 2
    for _post in range(2):
        assert client.post(reverse("needs:request_create"), request_form()).status_code == 302
    refused = client.post(reverse("needs:request_create"), request_form(), **EN)
    assert refused.status_code == 429
    assert "Too many posts from this connection" in refused.content.decode()
    other = client.post(reverse("needs:request_create"), request_form(), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302
    assert HelpRequest.objects.count() == 3


def test_api_posting_is_capped_too(api, paris, settings):
    settings.ENTRAIDE_POSTS_PER_HOUR_PER_IP = 1
    body = {
        "zone": "75011",
        "category": "groceries",
        "description": "Des courses.",
        "contact": {"email": "a@example.org"},
    }
    assert api.post("/api/v1/requests/", body, format="json").status_code == 201
    refused = api.post("/api/v1/requests/", body, format="json")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused["Retry-After"] == "3600"
    assert HelpRequest.objects.count() == 1


def test_a_database_failure_is_a_quick_503_and_the_next_request_works(client, paris, monkeypatch):
    from entraide.needs import views

    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.selectors, "board_requests", database_gone)
    page = client.get("/zones/75011/", **EN)
    assert page.status_code == 503 and page["Retry-After"] == "10"
    assert "Please try again in a minute" in page.content.decode()
    monkeypatch.undo()
    assert client.get("/zones/75011/").status_code == 200


def test_api_database_failure_is_a_json_503(api, paris, monkeypatch):
    from entraide.needs import api as needs_api

    def database_gone(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(needs_api.selectors, "board_requests", database_gone)
    response = api.get("/api/v1/zones/75011/requests/")
    assert response.status_code == 503
    assert json.loads(response.content)["error"]["code"] == "unavailable"


def test_the_whole_database_gone_is_still_the_503_page_in_french(client, paris, monkeypatch):
    """Every request first reads its territory (time zone, language, formats) through the
    database cache; with the database gone, that read must not turn the 503 into a 500."""
    from entraide.needs import views
    from entraide.territory import selectors as territory_selectors

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(territory_selectors.cache, "get", database_gone)
    monkeypatch.setattr(views.selectors, "board_requests", database_gone)
    page = client.get("/zones/75011/")
    assert page.status_code == 503 and page["Retry-After"] == "10"
    assert "Merci de réessayer dans une minute" in page.content.decode()
