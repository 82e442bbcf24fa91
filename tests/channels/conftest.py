import pytest
from django.conf import settings

from entraide.channels.simulator import ClientTransport, PhoneCall, SmsConversation
from entraide.platform.delivery import LoggingSmsSender

BASE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def clear_sent():
    LoggingSmsSender.sent.clear()


@pytest.fixture
def phone_call(paris, client):
    """A call from a French mobile, played through the simulator on signed webhooks."""

    def make(**kwargs) -> PhoneCall:
        return PhoneCall(
            transport=ClientTransport(client),
            base_url=BASE_URL,
            token=settings.TWILIO_AUTH_TOKEN,
            **kwargs,
        )

    return make


@pytest.fixture
def sms(paris, client):
    def make(sender: str = "+33612345678") -> SmsConversation:
        return SmsConversation(
            transport=ClientTransport(client),
            base_url=BASE_URL,
            token=settings.TWILIO_AUTH_TOKEN,
            sender=sender,
        )

    return make
