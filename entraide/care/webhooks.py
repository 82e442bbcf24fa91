"""The provider's callbacks for bridged calls, signed like every channels webhook
(``channels.webhooks.signed_webhook``: 403 before anything is read)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from twilio.twiml.voice_response import VoiceResponse

from entraide.channels.providers import TelephonyProvider
from entraide.channels.providers.twilio import TWIML, voice_language
from entraide.channels.webhooks import signed_webhook

from .models import CallStatus, CourtesyCall
from .services import bridge_person_leg_ended, bridge_volunteer_leg_status

DIAL_TIMEOUT_SECONDS = 30


def _call(request: HttpRequest, call_id: int) -> CourtesyCall:
    return get_object_or_404(
        CourtesyCall.objects.select_related("person", "volunteer"),
        pk=call_id,
        provider_call_id=request.POST.get("CallSid", ""),
    )


@signed_webhook
def bridge_connect(request: HttpRequest, provider: TelephonyProvider, call_id: int) -> HttpResponse:
    """The volunteer picked up: tell them, then dial the person with the municipal id."""
    call = _call(request, call_id)
    response = VoiceResponse()
    language = call.volunteer.preferred_language if call.volunteer else "fr"
    if call.status not in {CallStatus.RINGING, CallStatus.IN_PROGRESS}:
        response.hangup()
        return HttpResponse(str(response), content_type=TWIML)
    with translation.override(language):
        response.say(
            _("Courtesy call. We are calling the person now."), language=voice_language(language)
        )
    response.dial(
        call.person.phone,
        caller_id=settings.ENTRAIDE_CARE_CALLER_ID,
        action=reverse("care:bridge_dialled", args=[call.pk]),
        method="POST",
        timeout=DIAL_TIMEOUT_SECONDS,
        answer_on_bridge=True,
    )
    return HttpResponse(str(response), content_type=TWIML)


@signed_webhook
def bridge_dialled(request: HttpRequest, provider: TelephonyProvider, call_id: int) -> HttpResponse:
    """The person's leg ended: answered (with its duration), no answer, busy or failed."""
    call = _call(request, call_id)
    bridge_person_leg_ended(
        call=call,
        dial_status=request.POST.get("DialCallStatus", ""),
        duration=request.POST.get("DialCallDuration", ""),
    )
    response = VoiceResponse()
    response.hangup()
    return HttpResponse(str(response), content_type=TWIML)


@signed_webhook
def bridge_status(request: HttpRequest, provider: TelephonyProvider, call_id: int) -> HttpResponse:
    """Status callbacks of the volunteer's leg."""
    call = _call(request, call_id)
    bridge_volunteer_leg_status(call=call, call_status=request.POST.get("CallStatus", ""))
    return HttpResponse(status=204)
