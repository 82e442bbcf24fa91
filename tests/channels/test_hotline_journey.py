"""The hotline operator's journey through the console (issue 14, journey 5): closed
requests, the helper's first name and code word to read out, voice messages played
through the platform."""

import pytest
from django.contrib.auth import get_user_model

from entraide.channels import services as channel_services
from entraide.channels.models import CallSession, VoiceMessage
from entraide.matching import services as matching
from entraide.needs.services import help_request_cancel
from entraide.platform.models import AuditLog, Role
from entraide.platform.roles import role_grant

RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE0123abcd"
FRENCH = {"Accept-Language": "fr"}


@pytest.fixture
def operator(db, client):
    user = get_user_model().objects.create_user("ophelie", password="x-long-password-1")
    role_grant(user=user, role=Role.OPERATOR)
    client.force_login(user)
    return user


@pytest.fixture
def matched(make_request, make_volunteer):
    volunteer = make_volunteer(first_name="Camille", code_word="tilleul")
    help_request = make_request().entry
    proposal = matching.match_propose_instant(help_request=help_request)
    matching.assignment_accept(assignment=proposal, volunteer=volunteer)
    return help_request


@pytest.fixture
def fetches(monkeypatch):
    """Twilio faked: the URLs asked for, and an MP3's first bytes as the answer."""
    asked: list[str] = []

    def fake_download(url: str) -> bytes:
        asked.append(url)
        return b"ID3\x04fake-mp3"

    monkeypatch.setattr(channel_services, "recording_download", fake_download)
    return asked


def voice_message(recording_url: str = RECORDING) -> VoiceMessage:
    session = CallSession.objects.create(call_sid="CA-hotline-1", caller="+33612345678")
    return VoiceMessage.objects.create(
        session=session, caller="+33612345678", recording_url=recording_url
    )


def test_closed_requests_are_listed_with_status_in_french_and_dates(operator, client, make_request):
    open_one = make_request().entry
    closed = make_request(category="medicines").entry
    help_request_cancel(help_request=closed, actor_label="requester", reason="test")
    page = client.get(
        "/channels/hotline/", {"phone": "06 12 34 56 78"}, headers=FRENCH
    ).content.decode()
    closed_section = page.split("Demandes clôturées", 1)[1]
    assert closed.reference in closed_section and open_one.reference not in closed_section
    assert "Annulée" in closed_section
    assert "clôturée le" in closed_section
    assert "Enregistrée le" in page
    looked_up = AuditLog.objects.filter(action="operator.caller_lookup_request")
    assert set(looked_up.values_list("subject", flat=True)) == {
        open_one.reference,
        closed.reference,
    }


def test_operator_reads_the_helpers_first_name_and_code_word_audited(operator, client, matched):
    page = client.get(
        "/channels/hotline/", {"phone": "06 12 34 56 78"}, headers=FRENCH
    ).content.decode()
    assert "À lire à l\u2019appelant" in page
    assert "bénévole Camille" in page and "mot code « tilleul »" in page
    read = AuditLog.objects.get(action="operator.helper_read")
    assert read.actor == operator
    assert read.subject == matched.reference
    assert read.purpose == "hotline: read to the caller"


def test_no_helper_no_code_word_and_no_audit_before_a_match(operator, client, make_request):
    make_request()
    page = client.get("/channels/hotline/", {"phone": "06 12 34 56 78"}).content.decode()
    assert "tilleul" not in page
    assert not AuditLog.objects.filter(action="operator.helper_read").exists()


@pytest.mark.parametrize("role", [None, Role.ZONE_COORDINATOR])
def test_the_code_word_is_not_shown_to_anyone_but_operators(client, matched, role):
    user = get_user_model().objects.create_user("curious", password="x-long-password-1")
    if role:
        role_grant(user=user, role=role, zone=matched.zone)
    client.force_login(user)
    response = client.get("/channels/hotline/", {"phone": "06 12 34 56 78"})
    assert response.status_code == 403
    assert "tilleul" not in response.content.decode()
    assert not AuditLog.objects.filter(action="operator.helper_read").exists()


def test_console_plays_the_voice_message_through_the_platform(operator, client, fetches):
    message = voice_message()
    page = client.get("/channels/hotline/").content.decode()
    audio_url = f"/channels/hotline/voice-messages/{message.pk}/audio/"
    assert f'<audio controls preload="none" src="{audio_url}"' in page
    assert RECORDING not in page

    response = client.get(audio_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert "no-store" in response["Cache-Control"]
    assert response.content == b"ID3\x04fake-mp3"
    assert fetches == [RECORDING]
    listened = AuditLog.objects.get(action="operator.voice_message_listen")
    assert listened.actor == operator and listened.subject == f"voice:{message.pk}"


def test_non_operators_cannot_play_a_voice_message(client, db, fetches):
    message = voice_message()
    url = f"/channels/hotline/voice-messages/{message.pk}/audio/"
    assert client.get(url).status_code == 302
    client.force_login(get_user_model().objects.create_user("someone", password="x-long-pw-1"))
    assert client.get(url).status_code == 403
    assert fetches == []
    assert not AuditLog.objects.filter(action="operator.voice_message_listen").exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.org/Recordings/RE0123.mp3",
        "http://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE0123",
        "https://user:pw@api.twilio.com/Recordings/RE0123",
        "",
    ],
)
def test_a_foreign_recording_url_is_never_fetched(operator, client, fetches, url):
    message = voice_message(recording_url=url)
    response = client.get(f"/channels/hotline/voice-messages/{message.pk}/audio/")
    assert response.status_code == 404
    assert fetches == []
    assert not AuditLog.objects.filter(action="operator.voice_message_listen").exists()


def test_twilio_unreachable_says_call_back(operator, client, monkeypatch):
    def unreachable(url: str) -> bytes:
        raise channel_services.RecordingUnavailable("down")

    monkeypatch.setattr(channel_services, "recording_download", unreachable)
    message = voice_message()
    response = client.get(f"/channels/hotline/voice-messages/{message.pk}/audio/", headers=FRENCH)
    assert response.status_code == 502
    assert "Rappelez la personne" in response.content.decode()
    assert not AuditLog.objects.filter(action="operator.voice_message_listen").exists()
