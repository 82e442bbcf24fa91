"""A recording URL from a webhook becomes a link an operator clicks: only the provider's
https recordings are kept and shown as links."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from entraide.channels.models import VoiceMessage
from entraide.platform.models import Role
from entraide.platform.roles import role_grant

TWILIO = "https://api.twilio.com/2010-04-01/Accounts/AC00/Recordings/RE0123456789"
HOSTILE = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "http://api.twilio.com/2010-04-01/Accounts/AC00/Recordings/RE1",
    "https://evil.example/recording.mp3",
    "https://api.twilio.com.evil.example/recording.mp3",
    "https://evil.example\\@api.twilio.com/recording.mp3",
    "https://user:password@api.twilio.com/recording.mp3",
    "https://api.twilio.com:8443/recording.mp3",
    "//api.twilio.com/recording.mp3",
]


@pytest.fixture
def operator_client(db, client):
    user = get_user_model().objects.create_user("ophelie", password="x-long-password-1")
    role_grant(user=user, role=Role.OPERATOR)
    client.force_login(user)
    return client


def leave_message(phone_call, recording_url: str):
    call = phone_call()
    call.start()
    call.press("0")
    assert call.current.record is not None
    return call.post(
        call.current.record["action"],
        {"RecordingUrl": recording_url, "RecordingDuration": "12", "Digits": "#"},
    )


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_recording_url_is_not_stored_nor_linked(phone_call, operator_client, url):
    thanks = leave_message(phone_call, url)
    assert thanks.hangup
    message = VoiceMessage.objects.get()
    assert message.recording_url == ""
    assert message.caller == "+33612345678"

    page = operator_client.get(
        "/channels/hotline/", headers={"Accept-Language": "en"}
    ).content.decode()
    assert "No message: call them back." in page
    assert "javascript" not in page.lower()
    assert "evil.example" not in page


def test_the_providers_recording_plays_through_the_platform(phone_call, operator_client):
    leave_message(phone_call, TWILIO)
    message = VoiceMessage.objects.get()
    assert message.recording_url == TWILIO
    page = operator_client.get(
        "/channels/hotline/", headers={"Accept-Language": "en"}
    ).content.decode()
    player = reverse("channels:voice_message_audio", args=[message.pk])
    assert f'<audio controls preload="none" src="{player}">' in page
    assert TWILIO not in page


@pytest.mark.parametrize("url", [*HOSTILE[:3], "https://evil.example/recording.mp3"])
def test_a_hostile_url_stored_before_the_fix_is_not_a_link(phone_call, operator_client, url):
    leave_message(phone_call, TWILIO)
    VoiceMessage.objects.update(recording_url=url)
    page = operator_client.get(
        "/channels/hotline/", headers={"Accept-Language": "en"}
    ).content.decode()
    assert "No message: call them back." in page
    assert f'href="{url}' not in page
    assert 'href="javascript' not in page.lower()
