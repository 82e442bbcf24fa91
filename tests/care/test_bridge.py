"""Bridged calls: a fake provider places them; the callbacks are signed as Twilio signs."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from entraide.care.bridge import BridgeError
from entraide.care.models import CallStatus, CourtesyCall
from entraide.care.services import courtesy_call_bridge, courtesy_calls_schedule
from entraide.channels.simulator import ClientTransport, Signer, parse_twiml

from .conftest import MONDAY_9

BASE_URL = "http://testserver"


class FakeBridge:
    placed: list[dict] = []
    refuse = False

    def place_call(self, *, to: str, caller_id: str, connect_url: str, status_url: str) -> str:
        if FakeBridge.refuse:
            raise BridgeError("refused")
        FakeBridge.placed.append(
            {"to": to, "caller_id": caller_id, "connect": connect_url, "status": status_url}
        )
        return f"CA{len(FakeBridge.placed):032d}"


@pytest.fixture(autouse=True)
def fake_bridge(settings):
    settings.ENTRAIDE_CARE_BRIDGE = "tests.care.test_bridge.FakeBridge"
    settings.ENTRAIDE_CARE_CALLER_ID = "+33140000000"
    settings.ENTRAIDE_PUBLIC_BASE_URL = BASE_URL
    FakeBridge.placed = []
    FakeBridge.refuse = False


@pytest.fixture
def call(enrol, caller):
    enrol(phone="+33612345678")
    caller(phone="+33781000001")
    courtesy_calls_schedule(now=MONDAY_9)
    return CourtesyCall.objects.get()


def post_signed(client, url: str, params: dict, token: str | None = None):
    headers = Signer(token or settings.TWILIO_AUTH_TOKEN).headers(url, params)
    return ClientTransport(client).post(url, params, headers)


def test_bridge_rings_the_volunteer_with_the_municipal_number(call):
    courtesy_call_bridge(call=call, user=call.volunteer.user)
    assert FakeBridge.placed == [
        {
            "to": "+33781000001",
            "caller_id": "+33140000000",
            "connect": f"{BASE_URL}/care/bridge/{call.pk}/connect/",
            "status": f"{BASE_URL}/care/bridge/{call.pk}/status/",
        }
    ]
    call.refresh_from_db()
    assert call.status == CallStatus.RINGING


def test_refused_by_the_provider_changes_nothing(call):
    FakeBridge.refuse = True
    with pytest.raises(ValidationError):
        courtesy_call_bridge(call=call, user=call.volunteer.user)
    call.refresh_from_db()
    assert call.status == CallStatus.SCHEDULED
    assert call.provider_call_id == ""


def _sid(call) -> dict:
    return {"CallSid": call.provider_call_id, "AccountSid": "AC" + "0" * 32}


def test_answered_call_through_signed_callbacks(client, call):
    courtesy_call_bridge(call=call, user=call.volunteer.user)
    call.refresh_from_db()
    status_url = f"{BASE_URL}/care/bridge/{call.pk}/status/"
    code, _ = post_signed(client, status_url, {**_sid(call), "CallStatus": "in-progress"})
    assert code == 204
    code, body = post_signed(
        client,
        f"{BASE_URL}/care/bridge/{call.pk}/connect/",
        {**_sid(call), "CallStatus": "in-progress"},
    )
    turn = parse_twiml(code, body)
    assert code == 200
    assert turn.dial["number"] == "+33612345678"
    assert turn.dial["callerId"] == "+33140000000"
    assert "+33781000001" not in body
    code, body = post_signed(
        client,
        f"{BASE_URL}{turn.dial['action']}",
        {**_sid(call), "DialCallStatus": "completed", "DialCallDuration": "312"},
    )
    assert parse_twiml(code, body).hangup
    post_signed(
        client, status_url, {**_sid(call), "CallStatus": "completed", "CallDuration": "330"}
    )
    call.refresh_from_db()
    assert call.status == CallStatus.ANSWERED
    assert call.duration_seconds == 312
    assert call.person.missed_in_row == 0


def test_no_answer_counts_as_missed(client, call):
    courtesy_call_bridge(call=call, user=call.volunteer.user)
    call.refresh_from_db()
    post_signed(
        client,
        f"{BASE_URL}/care/bridge/{call.pk}/dialled/",
        {**_sid(call), "DialCallStatus": "no-answer", "DialCallDuration": "0"},
    )
    call.refresh_from_db()
    call.person.refresh_from_db()
    assert call.status == CallStatus.NO_ANSWER
    assert call.person.missed_in_row == 1


def test_volunteer_not_picking_up_is_not_a_missed_call(client, call):
    courtesy_call_bridge(call=call, user=call.volunteer.user)
    call.refresh_from_db()
    post_signed(
        client,
        f"{BASE_URL}/care/bridge/{call.pk}/status/",
        {**_sid(call), "CallStatus": "no-answer"},
    )
    call.refresh_from_db()
    call.person.refresh_from_db()
    assert call.status == CallStatus.VOLUNTEER_UNREACHED
    assert call.person.missed_in_row == 0


def test_unsigned_or_wrongly_signed_callbacks_are_refused(client, call):
    courtesy_call_bridge(call=call, user=call.volunteer.user)
    call.refresh_from_db()
    url = f"{BASE_URL}/care/bridge/{call.pk}/dialled/"
    params = {**_sid(call), "DialCallStatus": "completed", "DialCallDuration": "60"}
    assert client.post(url, params).status_code == 403
    assert post_signed(client, url, params, token="wrong-token")[0] == 403
    call.refresh_from_db()
    assert call.status == CallStatus.RINGING


def test_a_callback_for_another_call_sid_is_not_found(client, call):
    courtesy_call_bridge(call=call, user=call.volunteer.user)
    params = {"CallSid": "CA" + "9" * 32, "DialCallStatus": "completed"}
    code, _ = post_signed(client, f"{BASE_URL}/care/bridge/{call.pk}/dialled/", params)
    assert code == 404
