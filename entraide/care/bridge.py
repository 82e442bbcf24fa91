"""Bridging a courtesy call through the telephony provider.

The provider rings the volunteer first; when they pick up it fetches ``connect_url``,
whose TwiML dials the person with the municipal caller id (ENTRAIDE_CARE_CALLER_ID), so
neither side sees the other's number. Status callbacks tell the outcome: the volunteer's
leg on ``status_url``, the person's leg on the <Dial action>.
"""

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class BridgeError(Exception):
    """The provider refused to place the call."""


class CallBridge(Protocol):
    def place_call(self, *, to: str, caller_id: str, connect_url: str, status_url: str) -> str:
        """Ring ``to``; return the provider's call id. Raise BridgeError on refusal."""
        ...


class TwilioBridge:
    """Twilio's REST API (``calls.create``); needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN."""

    def place_call(self, *, to: str, caller_id: str, connect_url: str, status_url: str) -> str:
        from twilio.base.exceptions import TwilioException
        from twilio.rest import Client

        client = Client(settings.ENTRAIDE_CARE_TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
        try:
            call = client.calls.create(
                to=to,
                from_=caller_id,
                url=connect_url,
                method="POST",
                status_callback=status_url,
                status_callback_method="POST",
                status_callback_event=["answered", "completed"],
            )
        except TwilioException as exc:
            raise BridgeError(str(exc)) from exc
        return call.sid


def bridging_configured() -> bool:
    """Calls can be placed through the platform: a caller id to show, and for Twilio its
    account. Otherwise the volunteer calls with their own phone (a ``tel:`` link)."""
    if not settings.ENTRAIDE_CARE_CALLER_ID:
        return False
    if settings.ENTRAIDE_CARE_BRIDGE.endswith(".TwilioBridge"):
        return bool(settings.ENTRAIDE_CARE_TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN)
    return True


def call_bridge() -> CallBridge:
    return import_string(settings.ENTRAIDE_CARE_BRIDGE)()
