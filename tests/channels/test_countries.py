"""The telephone and SMS channels in a Montréal territory: postcodes with letters, +1
numbers, Québec French (fr-CA voices), and a phone menu that picks the zone without
letters — by the number printed on the posters or from a spoken list — on webhooks
signed exactly as Twilio signs them."""

import pytest
from django.conf import settings

from entraide.channels.models import InboundMessage
from entraide.channels.simulator import ClientTransport, PhoneCall, SmsConversation
from entraide.insight.posters import poster_content, poster_pdf
from entraide.needs.models import Channel, HelpRequest
from entraide.platform.models import OutboxMessage
from entraide.territory.models import Zone
from entraide.territory.selectors import zone_numbers
from tests.countries import montreal, namur

BASE_URL = "http://testserver"
MONTREAL_MOBILE = "+15148721111"


@pytest.fixture
def montreal_territory(db):
    return montreal()


@pytest.fixture
def call(montreal_territory, client):
    return PhoneCall(
        transport=ClientTransport(client),
        base_url=BASE_URL,
        token=settings.TWILIO_AUTH_TOKEN,
        caller=MONTREAL_MOBILE,
        called="+15140000000",
    )


@pytest.fixture
def sms(montreal_territory, client):
    return SmsConversation(
        transport=ClientTransport(client),
        base_url=BASE_URL,
        token=settings.TWILIO_AUTH_TOKEN,
        sender=MONTREAL_MOBILE,
    )


def test_an_sms_with_a_canadian_postcode_anywhere_makes_a_request(sms):
    reply = sms.send("Aide, courses svp H2X 1Y4 du lait et du pain")
    help_request = HelpRequest.objects.get()
    assert help_request.zone.code == "PMR"
    assert help_request.category == "groceries"
    assert help_request.channel == Channel.SMS
    assert help_request.contact.phone == MONTREAL_MOBILE
    assert help_request.language == "fr-ca"
    assert InboundMessage.objects.get().language == "fr-ca"
    assert reply == ""  # the confirmation goes through the outbox, to a Canadian mobile
    confirmation = OutboxMessage.objects.get(recipient=MONTREAL_MOBILE)
    assert help_request.reference in confirmation.body
    assert confirmation.status != "cancelled"


@pytest.mark.parametrize(
    ("body", "zone"),
    [
        ("AIDE H2X1Y4 COURSES", "PMR"),
        ("aide h3b-4w8 medicaments urgent", "VM"),
        ("AIDE H4G COURSES", "VER"),  # the FSA alone, as the posters print it
        ("HELP GROCERIES H1X 2B3", "RPP"),
    ],
)
def test_canadian_postcodes_in_every_spelling(sms, body, zone):
    sms.send(body)
    assert HelpRequest.objects.get().zone.code == zone


def test_a_french_postcode_in_montreal_gets_the_canadian_format_in_reply(sms):
    reply = sms.send("AIDE 75011 COURSES")
    assert "H2X 1Y4" in reply
    assert not HelpRequest.objects.exists()
    assert "AIDE H2X 1Y4 COURSES" in sms.send("AIDE")
    assert "H9X 1A1" in sms.send("AIDE H9X 1A1 COURSES")  # well formed, not ours


def test_the_call_greets_in_quebec_french_with_a_fr_ca_voice(call):
    first = call.start()
    assert first.spoken[0].language == "fr-CA"
    assert "Pour continuer en français, tapez 1." in first.text
    assert "To continue in English, press 2." in first.text
    english = [line.language for line in first.spoken if "English" in line.text]
    assert english == ["en-CA"]


def test_the_phone_menu_picks_a_zone_by_its_poster_number(call, montreal_territory):
    call.start()
    menu = call.press("1")
    assert {line.language for line in menu.spoken} == {"fr-CA"}
    way = call.press("1")
    assert "Si vous connaissez le numéro de votre zone, imprimé sur nos affiches" in way.text
    assert "code postal" not in way.text
    ask = call.press("1")
    assert "Tapez le numéro de votre zone" in ask.text
    assert ask.gather["finishOnKey"] == "#"

    wrong = call.press("99")
    assert "9, 9 n'est pas l'un de nos numéros de zone." in wrong.text
    plateau = zone_numbers()[Zone.objects.get(code="PMR").pk]
    check = call.press(str(plateau))
    assert f"Vous avez choisi la zone {plateau} : Le Plateau-Mont-Royal." in check.text
    category = call.press("1")
    assert "De quoi avez-vous besoin ?" in category.text
    call.press("1")  # groceries
    summary = call.press("2")  # within 24 hours
    assert f"zone {plateau}, Le Plateau-Mont-Royal" in summary.text
    done = call.press("1")
    help_request = HelpRequest.objects.get()
    assert help_request.zone.code == "PMR"
    assert help_request.channel == Channel.PHONE
    assert help_request.language == "fr-ca"
    assert help_request.contact.phone == MONTREAL_MOBILE
    assert ", ".join(help_request.reference) in done.text
    assert OutboxMessage.objects.filter(recipient=MONTREAL_MOBILE).exists()


def test_the_phone_menu_reads_the_zones_three_at_a_time(call):
    call.play("1,1")
    listing = call.press("2")
    assert "Zone 1, Ville-Marie : tapez 1." in listing.text
    assert "Zone 3, Rosemont-La Petite-Patrie : tapez 3." in listing.text
    assert "Verdun" not in listing.text
    more = call.press("4")
    assert "Zone 4, Verdun : tapez 1." in more.text
    assert "Zone 5, Outremont : tapez 2." in more.text
    again = call.press("4")
    assert "Zone 1, Ville-Marie" in again.text  # round again
    call.press("4")
    check = call.press("1")
    assert "Vous avez choisi la zone 4 : Verdun." in check.text
    back = call.press("2")  # choose again
    assert "Si vous connaissez le numéro de votre zone" in back.text


def test_a_belgian_call_types_four_digits(client, db):
    namur()
    call = PhoneCall(
        transport=ClientTransport(client),
        base_url=BASE_URL,
        token=settings.TWILIO_AUTH_TOKEN,
        caller="+32470123456",
    )
    call.start()
    call.press("1")
    ask = call.press("1")
    assert "Tapez votre code postal : 4 chiffres, puis la touche dièse." in ask.text
    check = call.press("5100")
    assert "Vous avez tapé : 5, 1, 0, 0." in check.text


def test_the_posters_print_the_zone_number_and_an_sms_the_channel_reads(montreal_territory):
    zone = Zone.objects.get(code="PMR")
    content = poster_content(zone=zone, language="fr-ca")
    assert content.zone_number == zone_numbers()[zone.pk]
    assert content.sms_keyword == "AIDE H2T"
    assert poster_pdf(zone=zone, design="help", language="fr-ca").startswith(b"%PDF")


def test_paris_posters_have_no_zone_number(paris):
    zone = paris.zones.first()
    content = poster_content(zone=zone, language="fr")
    assert content.zone_number is None
    assert content.sms_keyword == f"AIDE {zone.code}"
