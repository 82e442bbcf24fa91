"""Issue 14: with no telephone number configured, the home page says who to turn to
instead of "call us" with no number."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def _home(client) -> str:
    client.cookies["django_language"] = "fr"
    return client.get("/").content.decode().replace("&#x27;", "'")


@override_settings(ENTRAIDE_HOTLINE_NUMBER="", ENTRAIDE_OPERATOR_NUMBER="")
def test_without_a_number_the_home_page_points_to_someone_who_fills_the_form(client, paris):
    page = _home(client)

    assert "Il n'y a pas encore de permanence téléphonique ici" in page
    assert "Remplir le formulaire de demande pour quelqu'un" in page
    assert 'href="/request/new/"' in page
    assert "Appelez" not in page and "tel:" not in page
    assert "la permanence enregistrera votre demande" not in page


@override_settings(ENTRAIDE_HOTLINE_NUMBER="+33143556677")
def test_with_a_number_the_home_page_gives_it_in_the_national_format(client, paris):
    page = _home(client)

    assert 'href="tel:+33143556677"' in page
    assert "01 43 55 66 77" in page
    assert "pas encore de permanence" not in page


@override_settings(ENTRAIDE_HOTLINE_NUMBER="01 43 55 66 77")
def test_a_number_typed_in_the_national_format_is_shown_as_typed(client, paris):
    assert "01 43 55 66 77" in _home(client)


@override_settings(ENTRAIDE_HOTLINE_NUMBER="", ENTRAIDE_OPERATOR_NUMBER="")
def test_lost_link_page_without_a_number_sends_to_a_new_request(client, paris):
    client.cookies["django_language"] = "fr"
    page = client.get("/request/lost/").content.decode().replace("&#x27;", "'")

    assert "Appelez la permanence" not in page and "tel:" not in page
    assert "faites une nouvelle demande" in page and 'href="/request/new/"' in page


@override_settings(ENTRAIDE_HOTLINE_NUMBER="+33143556677")
def test_lost_link_page_gives_the_hotline_number(client, paris):
    client.cookies["django_language"] = "fr"
    page = client.get("/request/lost/").content.decode()

    assert 'href="tel:+33143556677"' in page and "01 43 55 66 77" in page


@override_settings(ENTRAIDE_HOTLINE_NUMBER="", ENTRAIDE_OPERATOR_NUMBER="")
def test_too_many_posts_without_a_number_does_not_send_to_a_hotline(client, paris, settings):
    from tests.needs.test_web import request_form

    settings.ENTRAIDE_POSTS_PER_HOUR_PER_IP = 1
    client.cookies["django_language"] = "fr"
    client.post("/request/new/", request_form())
    page = client.post("/request/new/", request_form()).content.decode()

    assert "Merci de réessayer plus tard." in page
    assert "permanence" not in page.split('id="main"')[-1].split("</main>")[0]


@override_settings(ENTRAIDE_HOTLINE_NUMBER="+33143556677")
def test_too_many_posts_gives_the_hotline_number(client, paris, settings):
    from tests.needs.test_web import request_form

    settings.ENTRAIDE_POSTS_PER_HOUR_PER_IP = 1
    client.post("/request/new/", request_form())
    page = client.post("/request/new/", request_form(), HTTP_ACCEPT_LANGUAGE="fr")

    assert page.status_code == 429 and "01 43 55 66 77" in page.content.decode()


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("", "En cas d'urgence vitale, appelez le 112."),
        ("+33143556677", "appelez la permanence téléphonique au 01 43 55 66 77"),
    ],
)
def test_the_busy_page_names_the_hotline_only_when_there_is_one(
    client, paris, monkeypatch, number, expected
):
    from django.db import OperationalError

    from entraide.needs import views

    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.selectors, "board_requests", database_gone)
    with override_settings(ENTRAIDE_HOTLINE_NUMBER=number, ENTRAIDE_OPERATOR_NUMBER=""):
        page = client.get("/zones/75011/", HTTP_ACCEPT_LANGUAGE="fr")

    assert page.status_code == 503
    assert expected in page.content.decode().replace("&#x27;", "'")
