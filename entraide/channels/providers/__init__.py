"""Telephony providers: each speaks one vendor's webhook protocol over the same flow.

A provider checks that a webhook is authentic, reads a call's or a message's input from
it, renders the flow's neutral actions into the vendor's reply (TwiML for Twilio), and
deletes the call recordings it keeps on its servers once we no longer need them.
Add one (Vonage NCCO, an Asterisk or jambonz gateway) by implementing TelephonyProvider
and naming it in ENTRAIDE_TELEPHONY_PROVIDER.
"""

import os
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from entraide.channels.calls import Action, CallInput

# The token the simulator signs with on a developer's machine; it is in this repository,
# so it proves nothing anywhere else (checks.py refuses it outside local mode).
LOCAL_WEBHOOK_TOKEN = "local-simulator-token"


def local_mode() -> bool:
    return os.environ.get("ENTRAIDE_ENV", "local") == "local"


def webhook_token_usable(token: str) -> bool:
    """A token that can prove a webhook came from the provider: set, and not the public
    local token unless this is a developer's machine."""
    return bool(token) and (token != LOCAL_WEBHOOK_TOKEN or local_mode())


class RecordingDeletionError(Exception):
    """The provider could not delete a recording now; the deletion is tried again later."""


@dataclass(frozen=True)
class CallWebhook:
    call_id: str
    caller: str
    received: CallInput


@dataclass(frozen=True)
class MessageWebhook:
    message_id: str
    sender: str
    body: str


class TelephonyProvider(Protocol):
    def is_authentic(self, request: HttpRequest) -> bool: ...

    def call_webhook(self, request: HttpRequest) -> CallWebhook | None: ...

    def voice_response(self, action: Action, *, action_url: str) -> HttpResponse: ...

    def message_webhook(self, request: HttpRequest) -> MessageWebhook | None: ...

    def message_response(self, text: str) -> HttpResponse: ...

    def recording_host_allowed(self, host: str) -> bool:
        """True for the host the provider serves its call recordings from."""
        ...

    def recording_sid(self, recording_url_or_sid: str) -> str:
        """The provider's id of a recording, from its URL or the id itself; "" when it
        names none of the provider's recordings."""
        ...

    def delete_recording(self, recording_url_or_sid: str) -> None:
        """Delete the recording on the provider's servers; one already gone counts as
        deleted. Raise RecordingDeletionError when it may succeed later."""
        ...


def telephony_provider() -> TelephonyProvider:
    return import_string(settings.ENTRAIDE_TELEPHONY_PROVIDER)()


def public_urls(request: HttpRequest) -> list[str]:
    """The URLs the provider may have called and signed: ENTRAIDE_PUBLIC_BASE_URL with the
    request's path, and the request's own URL (which follows X-Forwarded-Proto/-Host only
    when TRUST_PROXY_HEADERS is on). Both carry the same path and form, so accepting
    either binds the signature to this endpoint."""
    urls = [request.build_absolute_uri()]
    base = getattr(settings, "ENTRAIDE_PUBLIC_BASE_URL", "")
    if base:
        urls.insert(0, base.rstrip("/") + request.get_full_path())
    return urls
