import io

import pytest
import zxingcpp
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def _pdf(client, design, lang):
    response = client.get(reverse("insight:poster", args=["75011", design]), {"lang": lang})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def _text(reader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _qr_codes(reader) -> list[str]:
    return [
        result.text
        for page in reader.pages
        for image in page.images
        for result in zxingcpp.read_barcodes(image.image)
    ]


@override_settings(
    ENTRAIDE_HOTLINE_NUMBER="01 99 00 12 34", ENTRAIDE_PUBLIC_BASE_URL="https://entraide.example.fr"
)
def test_help_poster_in_english(client, zone_11):
    reader = _pdf(client, "help", "en")

    page = reader.pages[0]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)
    text = _text(reader)
    for expected in (
        "Need a hand? Your neighbours can help.",
        "Call 01 99 00 12 34",
        'Or send "HELP 75011" by SMS to 01 99 00 12 34',
        "Groceries",
        "A friendly phone call",
        "Never hand over your bank card, your PIN or cash in advance.",
        "Ask the volunteer for their code word",
    ):
        assert expected in text
    assert "Violence at home" not in text
    assert "Scan this code to ask for help online:" in text
    assert _qr_codes(reader) == ["https://entraide.example.fr/request/new/?zone=75011"]


@override_settings(ENTRAIDE_HOTLINE_NUMBER="01 99 00 12 34")
def test_help_poster_in_french_by_default(client, zone_11):
    text = _text(_pdf(client, "help", ""))

    assert 'Ou envoyez "AIDE 75011" par SMS au 01 99 00 12 34' in text or "AIDE 75011" in text
    assert "Courses" in text


@override_settings(ENTRAIDE_PUBLIC_BASE_URL="https://entraide.example.fr")
def test_sticker_sheet_has_four_stickers_with_the_board_code(client, zone_11):
    reader = _pdf(client, "stickers", "en")

    assert len(reader.pages) == 1
    assert _text(reader).count("Need a hand?") == 4
    assert set(_qr_codes(reader)) == {"https://entraide.example.fr/zones/75011/"}


@override_settings(ENTRAIDE_PUBLIC_BASE_URL="https://entraide.example.fr")
def test_offer_poster_to_fill_in(client, zone_11):
    reader = _pdf(client, "offer", "en")

    text = _text(reader)
    assert "I live in this building and can help with..." in text
    assert "Walking a pet" in text and "Flat or floor:" in text
    assert _qr_codes(reader) == ["https://entraide.example.fr/offer/new/?zone=75011"]


def test_unknown_design_or_zone(client, zone_11):
    assert client.get(reverse("insight:poster", args=["75011", "flyer"])).status_code == 404
    assert client.get(reverse("insight:poster", args=["99999", "help"])).status_code == 404


@override_settings(ENTRAIDE_HOTLINE_NUMBER="", ENTRAIDE_OPERATOR_NUMBER="")
@pytest.mark.parametrize("design", ["help", "stickers"])
def test_without_a_number_the_posters_point_to_the_web_form(client, zone_11, design):
    """No "send AIDE 75011 by SMS to the hotline" when there is no number to text."""
    text = _text(_pdf(client, design, "fr"))

    assert "Demandez de l'aide en ligne : scannez le code." in text
    assert "Un voisin, un proche ou votre mairie peut le faire pour vous." in text
    assert "SMS" not in text and "AIDE 75011" not in text and "Appelez" not in text
