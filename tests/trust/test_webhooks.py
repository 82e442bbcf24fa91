"""Proof 4 — webhooks. tests/channels already proves: an unsigned SMS or call is refused
with nothing stored, tampered call digits are refused, a wrong token is refused, and five
concurrent retries of one MessageSid make one request and one confirmation. What was
missing: an SMS whose body is changed after signing."""

from django.conf import settings

from entraide.channels.models import InboundMessage
from entraide.channels.simulator import Signer
from entraide.needs.models import HelpRequest
from entraide.platform.models import OutboxMessage

URL = "http://testserver/channels/sms/"


def test_a_tampered_sms_body_is_refused_and_nothing_stored(paris, client):
    params = {
        "MessageSid": "SM" + "7" * 32,
        "From": "+33612345678",
        "To": "+33700000000",
        "Body": "AIDE 75011 COURSES",
    }
    headers = Signer(settings.TWILIO_AUTH_TOKEN).headers(URL, params)
    params["Body"] = "ANNULER RABCDEF"
    response = client.post("/channels/sms/", params, headers=headers)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0
    assert HelpRequest.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    params["Body"] = "AIDE 75011 COURSES"
    accepted = client.post("/channels/sms/", params, headers=headers)
    assert accepted.status_code == 200
    assert HelpRequest.objects.count() == 1
