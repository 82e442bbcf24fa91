"""Twilio: Programmable Voice (TwiML) and Messaging webhooks, signed with X-Twilio-Signature."""

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
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

from . import CallWebhook, MessageWebhook, public_urls, webhook_token_usable

# Recordings are served by the REST API host, global or regional (api.dublin.ie1.twilio.com).
RECORDING_HOST = re.compile(r"api(\.[a-z0-9-]+\.[a-z0-9-]+)?\.twilio\.com")
VOICE_LANGUAGES = {"fr": "fr-FR", "en": "en-GB", "es": "es-ES", "ca": "ca-ES", "pt": "pt-PT"}
TWIML = "application/xml; charset=utf-8"


def voice_language(code: str) -> str:
    return VOICE_LANGUAGES.get(code, VOICE_LANGUAGES["fr"])


class TwilioProvider:
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

    def message_response(self, text: str) -> HttpResponse:
        response = MessagingResponse()
        if text:
            response.message(text)
        return HttpResponse(str(response), content_type=TWIML)
