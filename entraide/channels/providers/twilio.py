"""Twilio: Programmable Voice (TwiML) and Messaging webhooks, signed with X-Twilio-Signature."""

import logging
import re
from collections import deque
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.request_validator import (
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import Gather, VoiceResponse

from entraide.channels.calls import Action, CallInput, HangUp, Record, Say, Transfer
from entraide.channels.calls import Gather as Ask
from entraide.territory.active import territory_country_known

from . import (
    CallWebhook,
    MessageWebhook,
    RecordingDeletionError,
    local_mode,
    public_urls,
    webhook_token_usable,
)

logger = logging.getLogger(__name__)

# Recordings are served by the REST API host, global or regional (api.dublin.ie1.twilio.com).
RECORDING_HOST = re.compile(r"api(\.[a-z0-9-]+\.[a-z0-9-]+)?\.twilio\.com")
# A recording's SID: "RE" and 32 hexadecimal digits (shorter ones come from the simulator).
RECORDING_SID = re.compile(r"RE[0-9a-fA-F]{1,32}")
REST_TIMEOUT_SECONDS = 15
VOICE_LANGUAGES = {
    "fr": "fr-FR",
    "fr-ca": "fr-CA",
    "en": "en-GB",
    "es": "es-ES",
    "ca": "ca-ES",
    "pt": "pt-PT",
}
# English as the territory's country speaks it, where Twilio has that voice.
REGIONAL_VOICES = {("en", "CA"): "en-CA", ("en", "US"): "en-US"}
TWIML = "application/xml; charset=utf-8"


def voice_language(code: str) -> str:
    """Twilio's ``language`` for a language code: Québec French is fr-CA, and English in
    a Canadian territory en-CA."""
    regional = REGIONAL_VOICES.get((code, territory_country_known() or ""))
    return regional or VOICE_LANGUAGES.get(code, VOICE_LANGUAGES["fr"])


class TwilioProvider:
    # The transport of the REST client; None is Twilio's own (requests, with a timeout).
    http_client: HttpClient | None = None
    # Without an account (a developer's machine), deletions are recorded here and logged.
    deleted_locally: deque[str] = deque(maxlen=1000)

    def is_authentic(self, request: HttpRequest) -> bool:
        """Twilio's exact algorithm on the public URL and the posted form; 403 otherwise."""
        signature = request.headers.get(SIGNATURE_HEADER, "")
        secret = settings.TWILIO_AUTH_TOKEN
        if not signature or not webhook_token_usable(secret):
            return False
        algorithm = get_signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER, ""))
        validator = RequestValidator(secret)
        return any(
            validator.validate(url, request.POST, signature, algorithm=algorithm)
            for url in public_urls(request)
        )

    def call_webhook(self, request: HttpRequest) -> CallWebhook | None:
        data = request.POST
        if not data.get("CallSid"):
            return None
        duration = data.get("RecordingDuration", "")
        return CallWebhook(
            call_id=data["CallSid"][:64],
            caller=data.get("From", "")[:40],
            received=CallInput(
                digits=data.get("Digits") or None,
                recording_url=data.get("RecordingUrl", "")[:500],
                recording_seconds=int(duration) if duration.isdigit() else None,
                dial_status=data.get("DialCallStatus", "")[:20],
            ),
        )

    def voice_response(self, action: Action, *, action_url: str) -> HttpResponse:
        response = VoiceResponse()
        if isinstance(action, Ask):
            gather = Gather(
                input="dtmf",
                action=action_url,
                method="POST",
                num_digits=action.num_digits,
                timeout=action.timeout,
                finish_on_key=action.finish_on_key,
            )
            self._say(gather, action.prompt)
            response.append(gather)
            # Silence: Twilio goes on past <Gather>; the same turn then gets no digits.
            response.redirect(action_url, method="POST")
        elif isinstance(action, Record):
            self._say(response, action.prompt)
            response.record(
                action=action_url,
                method="POST",
                max_length=action.max_seconds,
                timeout=action.timeout,
                finish_on_key="#",
                play_beep=True,
            )
            # An empty recording does not call the action: the turn gets no recording.
            response.redirect(action_url, method="POST")
        elif isinstance(action, Transfer):
            self._say(response, action.prompt)
            response.dial(action.number, action=action_url, method="POST", timeout=action.timeout)
        elif isinstance(action, HangUp):
            self._say(response, action.prompt)
            response.hangup()
        return HttpResponse(str(response), content_type=TWIML)

    def _say(self, verb, prompt: tuple[Say, ...]) -> None:
        voice = settings.TWILIO_VOICE or None
        for line in prompt:
            verb.say(line.text, language=voice_language(line.language), voice=voice)

    def message_webhook(self, request: HttpRequest) -> MessageWebhook | None:
        data = request.POST
        message_id = data.get("MessageSid") or data.get("SmsSid")
        if not message_id:
            return None
        return MessageWebhook(
            message_id=message_id[:64], sender=data.get("From", "")[:40], body=data.get("Body", "")
        )

    def recording_host_allowed(self, host: str) -> bool:
        return RECORDING_HOST.fullmatch(host) is not None

    def recording_sid(self, recording_url_or_sid: str) -> str:
        """The SID from ``.../Recordings/RE...`` (with or without ``.mp3``/``.json``) or a
        bare SID."""
        path = urlsplit(recording_url_or_sid.strip()).path
        last = path.rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0]
        return last if RECORDING_SID.fullmatch(last) else ""

    def delete_recording(self, recording_url_or_sid: str) -> None:
        """``DELETE /Accounts/{TWILIO_ACCOUNT_SID}/Recordings/{sid}``; 404 is success.

        Without TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, a developer's machine (whose
        recordings are the simulator's) records the deletion and logs it; anywhere else
        it raises RecordingDeletionError, so the deletion waits for the account to be set.
        """
        sid = self.recording_sid(recording_url_or_sid)
        if not sid:
            logger.warning("Recording deletion skipped: not a Twilio recording")
            return
        account = settings.ENTRAIDE_CARE_TWILIO_ACCOUNT_SID
        token = settings.TWILIO_AUTH_TOKEN
        if not account or not token:
            if not local_mode():
                raise RecordingDeletionError("TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is not set")
            self.deleted_locally.append(sid)
            logger.info("Recording %s deleted (local mode: recorded, no Twilio account)", sid)
            return
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        http_client = self.http_client or TwilioHttpClient(timeout=REST_TIMEOUT_SECONDS)
        client = Client(account, token, http_client=http_client)
        try:
            client.recordings(sid).delete()
        except TwilioRestException as exc:
            if exc.status == 404:
                logger.info("Recording %s was already deleted at Twilio", sid)
                return
            raise RecordingDeletionError(f"Twilio {exc.status}: {exc.code}") from exc
        except (TwilioException, OSError) as exc:
            raise RecordingDeletionError(f"Twilio unreachable: {type(exc).__name__}") from exc

    def message_response(self, text: str) -> HttpResponse:
        response = MessagingResponse()
        if text:
            response.message(text)
        return HttpResponse(str(response), content_type=TWIML)
