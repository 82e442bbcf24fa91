import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from entraide.channels.models import InboundMessage, SmsOptOut
from entraide.channels.simulator import ClientTransport, SmsConversation, WebhookRefused
from entraide.channels.sms import parse
from entraide.needs.models import Channel, HelpRequest
from entraide.needs.states import RequestStatus
from entraide.platform.models import OutboxMessage


@pytest.mark.parametrize(
    ("body", "category", "urgency", "languages"),
    [
        ("AIDE 75011 COURSES", "groceries", 1, ("fr",)),
        ("aide 75011 courses", "groceries", 1, ("fr",)),
        ("Aidé-75011-Médicaments urgent", "medicines", 3, ("fr",)),
        ("HELP 75011 MEDICINES", "medicines", 1, ("en",)),
        ("AIDE 75011 2", "medicines", 1, ("fr",)),
        ("AIDE 75 011 1 2", "groceries", 2, ("fr",)),
        ("ayuda 75011 compras", "groceries", 1, ("es",)),
        ("Ajuda 75011 compres", "groceries", 1, ("ca",)),
        ("AJUDA 75011 COMPRAS", "groceries", 1, ("pt",)),
        ("AIDE75011COURSES", "groceries", 1, ("fr",)),
    ],
)
def test_the_grammar_tolerates_case_accents_and_separators(body, category, urgency, languages):
    command = parse(body)
    assert command.intent == "request"
    assert command.postcode == "75011"
    assert command.category == category
    assert command.urgency == urgency
    assert command.languages[: len(languages)] == languages


def test_references_survive_separators():
    assert parse("annuler r-bl649d").reference == "RBL649D"
    assert parse("ANUL·LAR RBL649D").intent == "cancel"
    assert parse("statut BL649D").reference == "RBL649D"


def test_a_request_by_sms_in_french_is_confirmed_through_the_outbox(sms, zone_11):
    phone = sms()
    reply = phone.send("AIDE 75011 COURSES du pain et du lait svp")
    assert reply == ""
    help_request = HelpRequest.objects.get()
    assert help_request.channel == Channel.SMS
    assert help_request.language == "fr"
    assert help_request.description == "du pain et du lait svp"
    assert help_request.contact.phone == "+33612345678"
    confirmation = OutboxMessage.objects.get()
    assert confirmation.channel == "sms"
    assert confirmation.recipient == "+33612345678"
    assert help_request.reference in confirmation.body


def test_cancel_and_status_by_sms_in_english(sms, zone_11):
    phone = sms()
    phone.send("HELP 75011 MEDICINES 1")
    reference = HelpRequest.objects.get().reference
    assert "Open" in phone.send(f"status {reference}")
    assert phone.send(f"cancel {reference[0]}-{reference[1:].lower()}") == (
        f"Your request {reference} is cancelled."
    )
    assert HelpRequest.objects.get().status == RequestStatus.CANCELLED


def test_nobody_else_can_cancel_a_request(sms, zone_11):
    sms().send("HELP 75011 MEDICINES")
    reference = HelpRequest.objects.get().reference
    reply = sms(sender="+33698765432").send(f"CANCEL {reference}")
    assert reply == f"We found no request {reference} for this phone number."
    assert HelpRequest.objects.get().status == RequestStatus.OPEN


def test_an_unknown_message_gets_help_in_the_senders_language(sms):
    assert "HELP 75011 GROCERIES" in sms().send("hello I need someone")
    assert HelpRequest.objects.count() == 0
    assert InboundMessage.objects.get().intent == "unknown"


def test_a_missing_category_lists_the_needs(sms):
    reply = sms().send("HELP 75011 BANANAS")
    assert "1 Groceries, 2 Medicines" in reply
    assert HelpRequest.objects.count() == 0


def test_an_unknown_postcode_is_explained(sms):
    assert "99999" in sms().send("HELP 99999 GROCERIES")
    assert HelpRequest.objects.count() == 0


def test_stop_silences_every_outbound_sms_until_start(sms, zone_11):
    phone = sms()
    assert "START" in phone.send("Stop")
    assert SmsOptOut.objects.filter(phone="+33612345678").exists()
    assert phone.send("HELP 75011 GROCERIES") == ""
    assert HelpRequest.objects.count() == 1
    assert not OutboxMessage.objects.exclude(status="cancelled").exists()  # nothing leaves
    assert phone.send("START") != ""
    assert not SmsOptOut.objects.exists()


def test_a_long_message_with_emoji_rtl_and_html_is_stored_whole_and_shown_escaped(
    sms, zone_11, client
):
    text = "<script>alert(1)</script> مرحبا שלום 🙂👵🏽 " * 40
    body = ("AIDE 75011 COURSES " + text)[:1600]
    assert len(body) == 1600
    sms().send(body)
    inbound = InboundMessage.objects.get()
    assert inbound.body == body
    help_request = HelpRequest.objects.get()
    assert len(help_request.description) == 1000
    assert help_request.description.startswith("<script>alert(1)</script> مرحبا שלום 🙂👵🏽")
    page = client.get("/zones/75011/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; مرحبا שלום 🙂👵🏽" in page


def test_an_unsigned_sms_is_refused_and_nothing_stored(sms):
    with pytest.raises(WebhookRefused) as refused:
        sms().send("AIDE 75011 COURSES", signed=False)
    assert refused.value.status == 403
    assert InboundMessage.objects.count() == 0
    assert HelpRequest.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_five_concurrent_retries_of_one_message_make_one_request_and_one_confirmation(paris):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "in-memory SQLite locks whole tables across threads: "
            "run with SQLITE_TEST_NAME=var/test.sqlite3, or on PostgreSQL"
        )
    barrier = threading.Barrier(5)
    replies, errors = [], []

    def deliver():
        try:
            conversation = SmsConversation(
                transport=ClientTransport(Client()),
                base_url="http://testserver",
                token=settings.TWILIO_AUTH_TOKEN,
            )
            barrier.wait()
            replies.append(conversation.send("AIDE 75011 COURSES", message_sid="SM" + "5" * 32))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert replies == [""] * 5
    assert InboundMessage.objects.count() == 1
    assert HelpRequest.objects.count() == 1
    assert OutboxMessage.objects.filter(channel="sms").count() == 1
