"""Postcodes by the territory's country: shapes, normalisation, French messages naming the
format, and the zone they lead to (a Canadian postcode through its FSA)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from entraide.territory.postcodes import postcode_format
from entraide.territory.selectors import zone_for_postcode, zone_resolve
from tests.countries import montreal, namur, terrassa


@pytest.mark.parametrize(
    ("country", "typed", "written"),
    [
        ("FR", "75011", "75011"),
        ("FR", " 75 011 ", "75011"),
        ("CA", "H2X 1Y4", "H2X 1Y4"),
        ("CA", "h2x1y4", "H2X 1Y4"),
        ("CA", "H2X-1Y4", "H2X 1Y4"),
        ("CA", "h2x", "H2X"),
        ("BE", "5000", "5000"),
        ("BE", "1000", "1000"),
        ("ES", "08221", "08221"),
        ("ES", "28013", "28013"),
        ("ES", "52001", "52001"),
        ("DE", "10115", "10115"),
        ("GB", "SW1A 1AA", "SW1A1AA"),
    ],
)
def test_valid_postcodes_are_written_the_country_s_way(country, typed, written):
    assert postcode_format(country).normalize(typed) == written


@pytest.mark.parametrize(
    ("country", "typed", "message"),
    [
        ("FR", "7501", "Un code postal a cinq chiffres, par exemple 75011."),
        ("FR", "750111", "Un code postal a cinq chiffres, par exemple 75011."),
        ("FR", "H2X 1Y4", "Un code postal a cinq chiffres, par exemple 75011."),
        ("CA", "75011", "Un code postal canadien s'écrit lettre, chiffre, lettre, espace"),
        ("CA", "H2X 1Y", "par exemple H2X 1Y4."),
        ("CA", "D2X 1Y4", "par exemple H2X 1Y4."),  # no D, F, I, O, Q, U in Canada
        ("CA", "HH2 1Y4", "par exemple H2X 1Y4."),
        ("BE", "500", "Un code postal belge a quatre chiffres, par exemple 5000."),
        ("BE", "0500", "Un code postal belge a quatre chiffres, par exemple 5000."),
        ("BE", "50000", "Un code postal belge a quatre chiffres, par exemple 5000."),
        ("ES", "53001", "commence par la province (01 à 52), par exemple 08221."),
        ("ES", "00100", "commence par la province (01 à 52), par exemple 08221."),
        ("ES", "8221", "Un code postal espagnol a cinq chiffres"),
        ("DE", "1", "Un code postal compte de 3 à 10 lettres ou chiffres."),
    ],
)
def test_wrong_postcodes_are_refused_with_a_french_message_naming_the_format(
    country, typed, message
):
    with pytest.raises(ValidationError) as refused, translation.override("fr"):
        postcode_format(country).normalize(typed)
    assert refused.value.code == "malformed_postcode"
    with translation.override("fr"):
        assert message in refused.value.messages[0]


def test_a_postcode_is_found_anywhere_in_a_text():
    shape = postcode_format("CA")
    assert shape.find("aide courses h2x 1y4 merci")[0] == "H2X 1Y4"
    assert shape.find("AIDE H2X COURSES")[0] == "H2X"
    assert shape.find("AIDE COURSES 75011") is None
    assert postcode_format("FR").find("AIDE COURSES 75011 appelez le 0612345678")[0] == "75011"
    assert postcode_format("ES").find("AJUDA 53001 i 08221")[0] == "08221"


def test_a_canadian_postcode_leads_to_its_zone_through_its_fsa(db):
    territory = montreal()
    assert zone_for_postcode(postcode="H2X 1Y4").code == "PMR"
    assert zone_for_postcode(postcode="h2x1y4").code == "PMR"
    assert zone_for_postcode(postcode="H2X").code == "PMR"
    assert zone_for_postcode(postcode="H3B 4W8").name == "Ville-Marie"
    assert zone_resolve(postcode="H4G 2K1").code == "VER"
    with pytest.raises(ValidationError) as unknown, translation.override("fr"):
        zone_for_postcode(postcode="H9X 1A1")
    assert unknown.value.code == "unknown_postcode"
    assert "H9X 1A1" in unknown.value.messages[0]
    with pytest.raises(ValidationError) as malformed, translation.override("fr"):
        zone_resolve(postcode="75011")
    assert "par exemple H2X 1Y4" in malformed.value.message_dict["postcode"][0]
    assert territory.zones.count() == 5


def test_a_full_canadian_postcode_in_the_table_wins_over_its_fsa(db):
    territory = montreal()
    from entraide.territory.models import Postcode, Zone

    Postcode.objects.create(territory=territory, zone=Zone.objects.get(code="OUT"), code="H2X 9Z9")
    assert zone_for_postcode(postcode="h2x 9z9").code == "OUT"
    assert zone_for_postcode(postcode="H2X 1Y4").code == "PMR"


def test_belgian_and_spanish_postcodes_lead_to_their_zones(db):
    namur()
    assert zone_for_postcode(postcode="5000").name == "Namur"
    assert zone_for_postcode(postcode=" 5100 ").name == "Jambes"
    with pytest.raises(ValidationError), translation.override("fr"):
        zone_for_postcode(postcode="75011")
    terrassa()
    assert zone_for_postcode(postcode="08223").code == "T2"
    with pytest.raises(ValidationError) as refused, translation.override("fr"):
        zone_for_postcode(postcode="5000")
    assert "08221" in refused.value.messages[0]


def test_paris_still_reads_five_digits(paris):
    assert zone_for_postcode(postcode="75 011").code
    with pytest.raises(ValidationError) as refused, translation.override("fr"):
        zone_for_postcode(postcode="H2X 1Y4")
    assert refused.value.messages == ["Un code postal a cinq chiffres, par exemple 75011."]


def test_the_request_form_asks_for_the_territory_s_postcode(client, db):
    montreal()
    page = client.get(reverse("needs:request_create"), HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert 'size="7"' in html
    assert 'autocapitalize="characters"' in html
    assert "Par exemple H2X 1Y4." in html
    assert 'inputmode="numeric"' not in html.split('name="postcode"')[1].split(">")[0]
    refused = client.post(
        reverse("needs:request_create"),
        {
            "postcode": "75011",
            "category": "groceries",
            "description": "Des courses pour la semaine",
            "urgency": "3",
            "time_of_day": "any",
            "phone": "514 872-1111",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "Un code postal canadien s&#x27;écrit lettre, chiffre, lettre" in (
        refused.content.decode()
    )


def test_the_paris_form_keeps_its_digit_keyboard(client, paris):
    html = client.get(reverse("needs:request_create")).content.decode()
    field = html.split('name="postcode"')[1].split(">")[0]
    assert 'inputmode="numeric"' in field
    assert 'size="5"' in field
    assert "Cinq chiffres, par exemple 75011." in html


def test_the_api_takes_a_canadian_postcode_and_a_514_number(api, db):
    montreal()
    created = api.post(
        "/api/v1/requests/",
        {
            "postcode": "H2X 1Y4",
            "category": "groceries",
            "description": "Épicerie pour la semaine",
            "contact": {"phone": "(514) 872-1111"},
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    from entraide.needs.models import HelpRequest

    help_request = HelpRequest.objects.get()
    assert help_request.zone.code == "PMR"
    assert help_request.contact.phone == "+15148721111"

    refused = api.post(
        "/api/v1/requests/",
        {
            "postcode": "75011",
            "category": "groceries",
            "description": "Épicerie pour la semaine",
            "contact": {"phone": "(514) 872-1111"},
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["fields"]["postcode"][0]["code"] == "malformed_postcode"
    assert "par exemple H2X 1Y4" in error["fields"]["postcode"][0]["message"]


def test_the_postcode_lookup_reads_the_territory_s_format(api, db):
    montreal()
    found = api.get("/api/v1/postcodes/H2X%201Y4/")
    assert found.status_code == 200
    assert found.json()["code"] == "PMR"
    malformed = api.get("/api/v1/postcodes/75011/", HTTP_ACCEPT_LANGUAGE="fr")
    assert malformed.status_code == 400
    assert "H2X 1Y4" in malformed.json()["error"]["message"]
