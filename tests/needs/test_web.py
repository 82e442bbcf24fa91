import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from entraide.needs.models import HelpOffer, HelpRequest
from entraide.needs.services import help_request_cancel

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def request_form(**overrides):
    data = {
        "zone": "75011",
        "postcode": "",
        "category": "medicines",
        "description": "Aller chercher mes médicaments à la pharmacie.",
        "urgency": "2",
        "window_start": "",
        "window_end": "",
        "time_of_day": "any",
        "first_name": "Odette",
        "phone": "06 12 34 56 78",
        "email": "",
        "address": "14 rue Oberkampf",
    }
    data.update(overrides)
    return data


def test_home_lists_zones_and_finds_a_zone_by_postcode(client, paris):
    response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/zones/75') == 20
    response = client.get("/", {"postcode": "75116"})
    assert response.status_code == 302 and response.url == "/zones/75016/"


def test_home_explains_an_unknown_postcode(client, paris):
    response = client.get("/", {"postcode": "75999"}, **EN)
    assert response.status_code == 200
    assert "75999 is not a postcode of this territory." in response.content.decode()


def test_home_is_french_by_default(client, paris):
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html


def test_post_a_request_then_follow_it_with_the_private_link(client, paris):
    response = client.post(reverse("needs:request_create"), request_form())
    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert response.url.startswith(f"/request/{help_request.reference}/")
    page = client.get(response.url)
    html = page.content.decode()
    assert help_request.reference in html
    assert "/request/" in html and 'id="private-link"' in html
    assert help_request.contact.phone == "+33612345678"


def test_request_by_postcode_instead_of_zone(client, paris):
    client.post(reverse("needs:request_create"), request_form(zone="", postcode="75116"))
    assert HelpRequest.objects.get().zone.code == "75016"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"zone": "", "postcode": "75999"}, "75999 is not a postcode of this territory."),
        ({"phone": "12"}, "is not a valid phone number"),
        ({"phone": "", "email": ""}, "Give a phone number or an e-mail address"),
        ({"description": ""}, "This field is required."),
        ({"description": "x" * 1200}, "at most 1000 characters"),
        ({"category": "teleportation"}, "Select a valid choice"),
    ],
)
def test_bad_request_form_shows_the_error_and_stores_nothing(client, paris, overrides, message):
    response = client.post(reverse("needs:request_create"), request_form(**overrides), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert HelpRequest.objects.count() == 0


def test_error_is_linked_to_its_field(client, paris):
    response = client.post(reverse("needs:request_create"), request_form(phone="12"), **EN)
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'id="id_phone_error"' in html
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in html


def test_edit_and_cancel_through_the_private_link(client, make_request):
    created = make_request()
    link = reverse("needs:request_private", args=[created.entry.reference, created.token])
    url = client.get(link).url  # the link opens the session, then the page has no token
    assert 'value="06 12 34 56 78"' in client.get(url).content.decode()  # as people write it
    form = request_form(description="Finalement, juste du pain.")
    form.pop("zone"), form.pop("postcode"), form.pop("category")
    response = client.post(url, form)
    assert response.status_code == 302
    created.entry.refresh_from_db()
    assert created.entry.description == "Finalement, juste du pain."
    cancel_url = reverse("needs:request_cancel_page", args=[created.entry.reference])
    assert client.get(cancel_url).status_code == 200
    client.post(cancel_url, {"reason": "plus besoin"})
    created.entry.refresh_from_db()
    assert created.entry.status == "cancelled"
    response = client.post(url, {**form, "description": "Encore une modification."}, **EN)
    created.entry.refresh_from_db()
    assert created.entry.description == "Finalement, juste du pain."


def test_forged_and_expired_links_are_refused(client, make_request):
    created = make_request()
    reference = created.entry.reference
    forged = client.get(reverse("needs:request_private", args=[reference, "x" * 32]), **EN)
    assert forged.status_code == 404
    assert "This private link is not valid" in forged.content.decode()
    assert (
        client.post(reverse("needs:request_cancel", args=[reference, "x" * 32])).status_code == 404
    )
    HelpRequest.objects.update(private_link_expires_at=timezone.now() - dt.timedelta(days=1))
    expired = client.get(reverse("needs:request_private", args=[reference, created.token]), **EN)
    assert expired.status_code == 410
    created.entry.refresh_from_db()
    assert created.entry.status == "open"


def test_board_filters_paginates_and_shows_empty_states(client, make_request, settings):
    settings.ENTRAIDE_BOARD_PAGE_SIZE = 2
    for _index in range(3):
        make_request(category="groceries", urgency=1)
    make_request(category="medicines", urgency=3)
    page1 = client.get("/zones/75011/", **EN).content.decode()
    assert "4 results" in page1 and "Page 1 of 2" in page1
    cards = page1[page1.index('class="cards"') :]
    assert cards.index("Today, it is urgent") < cards.index("In the next few days")
    filtered = client.get("/zones/75011/", {"category": "medicines"}, **EN).content.decode()
    assert "1 result" in filtered
    empty = client.get("/zones/75011/", {"category": "childcare"}, **EN).content.decode()
    assert "Nothing matches these filters." in empty
    other = client.get("/zones/75020/", **EN).content.decode()
    assert "No open request in this zone right now." in other
    offers = client.get("/zones/75020/", {"show": "offers"}, **EN).content.decode()
    assert "No offer of help in this zone yet." in offers


def test_unknown_zone_is_404(client, paris):
    assert client.get("/zones/99999/").status_code == 404


def test_board_never_shows_contact_data(client, make_request, make_offer):
    make_request(description="Appelez-moi au 06 12 34 56 78 ou odette@example.org")
    make_offer()
    for url in ["/zones/75011/", "/zones/75011/?show=offers", "/zones/75011/feed/"]:
        html = client.get(url).content.decode()
        for secret in [
            "Odette",
            "06 12 34 56 78",
            "+33612345678",
            "odette@example.org",
            "Oberkampf",
            "Marcel",
            "81 22 33 44",
        ]:
            assert secret not in html, (url, secret)


def test_sensitive_request_is_not_on_the_board(client, make_request):
    created = make_request(category="distress", description="Je ne vais pas bien du tout.")
    assert created.entry.reference not in client.get("/zones/75011/").content.decode()


def test_post_an_offer_then_pause_it(client, paris):
    response = client.post(
        reverse("needs:offer_create"),
        {
            "zone": "75018",
            "categories": ["groceries", "digital"],
            "description": "Je peux aider le week-end.",
            "availability": "Samedi",
            "first_name": "",
            "phone": "",
            "email": "helper@example.org",
        },
    )
    assert response.status_code == 302
    offer = HelpOffer.objects.get()
    status_url = reverse("needs:offer_status_page", args=[offer.reference])
    client.post(status_url, {"action": "pause"})
    offer.refresh_from_db()
    assert offer.status == "paused"


def test_language_switcher_changes_the_page_language(client, paris):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="es">' in client.get("/").content.decode()


def test_closed_request_page_says_so(client, make_request):
    created = make_request()
    help_request_cancel(help_request=created.entry)
    url = reverse("needs:request_private", args=[created.entry.reference, created.token])
    html = client.get(url, follow=True, **EN).content.decode()
    assert "This request is closed" in html
    assert "Save my changes" not in html


def test_french_is_the_default_and_errors_are_in_french(client, paris):
    home = client.get("/").content.decode()
    assert "J'ai besoin d'aide" in home or "J&#x27;ai besoin d&#x27;aide" in home
    response = client.post(reverse("needs:request_create"), request_form(phone="12"))
    assert "numéro de téléphone valide" in response.content.decode()
    assert HelpRequest.objects.count() == 0


def test_the_stylesheet_every_page_links_is_found(client, paris):
    from django.contrib.staticfiles import finders

    html = client.get("/").content.decode()
    assert 'href="/static/entraide/site.css"' in html
    assert finders.find("entraide/site.css") is not None


def test_home_gives_the_hotline_number_when_there_is_one(client, paris, settings):
    settings.ENTRAIDE_HOTLINE_NUMBER = "01 99 00 00 00"
    assert 'href="tel:01 99 00 00 00"' in client.get("/").content.decode()


def test_board_says_just_now_not_zero_minutes(client, make_request):
    fresh = make_request()
    older = make_request()
    HelpRequest.objects.filter(pk=older.entry.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=3)
    )
    page = client.get(reverse("needs:board", args=["75011"])).content.decode()
    assert f"{fresh.entry.reference} · à l&#x27;instant" in page
    assert "0 minute" not in page
    assert "il y a 3" in page
