import pytest
from twilio.request_validator import RequestValidator

from entraide.channels.models import CallSession, CallTurn
from entraide.channels.simulator import ClientTransport, PhoneCall, WebhookRefused


def test_twilio_published_test_vector():
    """The vector of twilio-python's own tests (tests/unit/test_request_validator.py)."""
    validator = RequestValidator("12345")
    uri = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
        "Caller": "+14158675309",
    }
    assert validator.compute_signature(uri, params) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert validator.validate(uri, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")


def test_missing_signature_is_refused_and_nothing_stored(phone_call):
    call = phone_call()
    with pytest.raises(WebhookRefused) as refused:
        call.post("http://testserver/channels/voice/", signed=False)
    assert refused.value.status == 403
    assert CallSession.objects.count() == 0


def test_tampered_digits_are_refused(phone_call, client):
    call = phone_call()
    call.start()
    params = call._params({"Digits": "2"})
    headers = call.signer.headers("http://testserver/channels/voice/1/", params)
    params["Digits"] = "1"
    response = client.post("/channels/voice/1/", params, headers=headers)
    assert response.status_code == 403
    assert CallTurn.objects.count() == 1


def test_wrong_token_is_refused(paris, client):
    call = PhoneCall(
        transport=ClientTransport(client), base_url="http://testserver", token="not-the-token"
    )
    with pytest.raises(WebhookRefused):
        call.start()
    assert CallSession.objects.count() == 0


def test_get_is_refused(client, db):
    assert client.get("/channels/voice/").status_code == 405


def test_behind_a_proxy_the_configured_public_url_is_signed(phone_call, settings, client):
    settings.ENTRAIDE_PUBLIC_BASE_URL = "https://entraide.example.fr"
    settings.ALLOWED_HOSTS = ["testserver", "entraide.example.fr"]
    call = phone_call()
    call.base_url = "https://entraide.example.fr"
    assert call.start().gather
    params = call._params({})
    signed_elsewhere = call.signer.headers("https://elsewhere.example.org/channels/voice/", params)
    assert client.post("/channels/voice/", params, headers=signed_elsewhere).status_code == 403


def test_forwarded_headers_are_used_only_when_trusted(phone_call, settings, client):
    settings.ALLOWED_HOSTS = ["testserver", "entraide.example.fr"]
    call = phone_call()
    url = "https://entraide.example.fr/channels/voice/"
    params = call._params({})
    headers = {
        **call.signer.headers(url, params),
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "entraide.example.fr",
    }
    assert client.post("/channels/voice/", params, headers=headers).status_code == 403
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.USE_X_FORWARDED_HOST = True
    assert client.post("/channels/voice/", params, headers=headers).status_code == 200
