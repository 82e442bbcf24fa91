import re

import pytest
from django.contrib.auth import get_user_model

from entraide.channels.models import (
    CallerNote,
    InboundMessage,
    VoiceMessage,
    VoiceMessageStatus,
)
from entraide.needs.models import Channel, HelpRequest
from entraide.needs.states import RequestStatus
from entraide.platform.models import AuditLog, Role
from entraide.platform.roles import role_grant


@pytest.fixture
def operator(db, client):
    user = get_user_model().objects.create_user("ophelie", password="x-long-password-1")
    role_grant(user=user, role=Role.OPERATOR)
    client.force_login(user)
    return user


def test_only_operators_see_the_console(client, db):
    user = get_user_model().objects.create_user("resident", password="x-long-password-1")
    assert client.get("/channels/hotline/").status_code == 302
    client.force_login(user)
    assert client.get("/channels/hotline/").status_code == 403


def test_search_by_phone_shows_open_requests_and_is_audited(operator, client, make_request):
    first = make_request().entry
    second = make_request(category="medicines").entry
    page = client.get("/channels/hotline/", {"phone": "06 12 34 56 78"})
    assert first.reference in page.content.decode()

    lookup = AuditLog.objects.get(action="operator.caller_lookup")
    assert lookup.actor == operator
    assert lookup.actor_label == "operator"
    assert lookup.purpose == "hotline: take a call"
    assert re.fullmatch(r"caller:[0-9a-f]{32}", lookup.subject)
    found = AuditLog.objects.filter(action="operator.caller_lookup_request", actor=operator)
    assert sorted(found.values_list("subject", flat=True)) == sorted(
        [first.reference, second.reference]
    )
    assert {row.purpose for row in found} == {f"hotline: take a call from {lookup.subject}"}
    for row in AuditLog.objects.all():
        written = f"{row.subject} {row.purpose} {row.actor_label}"
        assert "612345678" not in written
        assert "12 34 56 78" not in written


def test_the_same_caller_is_named_alike_in_every_look_up_and_others_differ(
    operator, client, make_request
):
    make_request()
    client.get("/channels/hotline/", {"phone": "06 12 34 56 78"})
    client.get("/channels/hotline/", {"phone": "+33 6 12 34 56 78"})
    client.get("/channels/hotline/", {"phone": "07 81 22 33 44"})
    subjects = list(
        AuditLog.objects.filter(action="operator.caller_lookup")
        .order_by("id")
        .values_list("subject", flat=True)
    )
    assert subjects[0] == subjects[1] != subjects[2]
    assert AuditLog.objects.filter(action="operator.caller_lookup_request").count() == 2


def test_an_invalid_number_is_explained_and_nothing_audited(operator, client, make_request):
    make_request()
    page = client.get(
        "/channels/hotline/", {"phone": "12"}, headers={"Accept-Language": "en"}
    ).content.decode()
    assert "“12” is not a valid phone number." in page
    assert not AuditLog.objects.filter(action__startswith="operator.caller_lookup").exists()


def test_operator_creates_a_request_for_the_caller(operator, client, paris):
    response = client.post(
        "/channels/hotline/+33612345678/requests/",
        {
            "postcode": "75011",
            "category": "medicines",
            "description": "Ordonnance à retirer à la pharmacie.",
            "urgency": "2",
        },
    )
    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.channel == Channel.OPERATOR
    assert help_request.created_by == operator
    assert help_request.contact.phone == "+33612345678"
    assert AuditLog.objects.get(action="operator.request_create").subject == help_request.reference


def test_invalid_input_is_shown_and_nothing_stored(operator, client, paris):
    response = client.post(
        "/channels/hotline/+33612345678/requests/",
        {"postcode": "99999", "category": "medicines", "description": "ok", "urgency": "1"},
    )
    assert response.status_code == 400
    assert HelpRequest.objects.count() == 0


def test_cancel_note_and_voice_message(operator, client, make_request, phone_call):
    created = make_request()
    client.post(f"/channels/hotline/+33612345678/requests/{created.entry.reference}/cancel/")
    assert HelpRequest.objects.get().status == RequestStatus.CANCELLED
    client.post("/channels/hotline/+33612345678/notes/", {"text": "Rappeler demain matin."})
    assert CallerNote.objects.get().author == operator

    call = phone_call()
    call.start()
    call.press("0")
    call.record()
    page = client.get("/channels/hotline/").content.decode()
    assert "/channels/hotline/voice-messages/" in page
    message = VoiceMessage.objects.get()
    client.post(f"/channels/hotline/voice-messages/{message.pk}/handled/")
    message.refresh_from_db()
    assert message.status == VoiceMessageStatus.HANDLED
    assert message.handled_by == operator


def test_sms_text_is_shown_escaped(operator, client, sms):
    sms().send("<b>bonjour</b> שלום")
    page = client.get("/channels/hotline/", {"phone": "+33612345678"}).content.decode()
    assert "&lt;b&gt;bonjour&lt;/b&gt; שלום" in page
    assert InboundMessage.objects.count() == 1
