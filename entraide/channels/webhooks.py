"""Provider webhooks: check the signature, read the input, call the service, render."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .providers import TelephonyProvider, telephony_provider
from .sms import sms_receive
from .voice import call_handle


def signed_webhook(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Reject with 403, before anything is read or stored, a webhook not signed by the provider."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        provider = telephony_provider()
        if not provider.is_authentic(request):
            return HttpResponseForbidden("Invalid signature.")
        return view(request, provider, *args, **kwargs)

    return wrapped


@signed_webhook
def voice(request: HttpRequest, provider: TelephonyProvider, turn: int = 0) -> HttpResponse:
    webhook = provider.call_webhook(request)
    if webhook is None:
        return HttpResponseBadRequest("Not a call.")
    answer = call_handle(
        call_id=webhook.call_id, caller=webhook.caller, turn=turn, received=webhook.received
    )
    return provider.voice_response(
        answer.action, action_url=reverse("channels:voice_turn", args=[answer.next_turn])
    )


@signed_webhook
def sms(request: HttpRequest, provider: TelephonyProvider) -> HttpResponse:
    webhook = provider.message_webhook(request)
    if webhook is None:
        return HttpResponseBadRequest("Not a message.")
    reply = sms_receive(message_id=webhook.message_id, sender=webhook.sender, body=webhook.body)
    return provider.message_response(reply)
