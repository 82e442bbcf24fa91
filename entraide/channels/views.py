"""The hotline operator console: thin views over the channels' services and selectors."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from entraide.needs.models import HelpRequest
from entraide.needs.services import ContactInput, RequestInput
from entraide.platform.audit import audit_context_from
from entraide.platform.forms import add_service_errors
from entraide.platform.models import Role
from entraide.platform.phones import format_for_display, normalize_phone
from entraide.platform.roles import has_role
from entraide.territory.selectors import zone_resolve

from . import selectors, services
from .forms import CallerSearchForm, NoteForm, OperatorRequestForm
from .models import VoiceMessage


def operator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not has_role(request.user, Role.OPERATOR):
            raise PermissionDenied(_("This page is for hotline operators."))
        return view(request, *args, **kwargs)

    return wrapped


def _console_url(phone: str = "") -> str:
    url = reverse("channels:console")
    return f"{url}?{urlencode({'phone': phone})}" if phone else url


@operator_required
def console(request: HttpRequest) -> HttpResponse:
    search = CallerSearchForm(request.GET or None)
    phone = ""
    if search.is_valid():
        try:
            phone = normalize_phone(search.cleaned_data["phone"])
        except ValidationError as exc:
            search.add_error("phone", exc)
    context = {
        "search": search,
        "phone": phone,
        "phone_display": format_for_display(phone) if phone else "",
        "voice_messages": selectors.voice_messages_waiting(),
    }
    if phone:
        context.update(
            _caller_context(request, phone),
            request_form=OperatorRequestForm(),
            note_form=NoteForm(),
        )
    return render(request, "channels/console.html", context)


def _caller_context(request: HttpRequest, phone: str) -> dict:
    """What the console shows about a caller; showing it is a look-up, audited, and so is
    reading the helper's code word."""
    open_requests = list(selectors.caller_open_requests(phone=phone))
    closed_requests = list(selectors.caller_closed_requests(phone=phone))
    services.caller_lookup_record(
        operator=request.user,
        phone=phone,
        references=[item.reference for item in open_requests + closed_requests],
        audit=audit_context_from(request, purpose="hotline: take a call"),
    )
    helpers = services.caller_helpers_read(
        operator=request.user,
        help_requests=open_requests,
        audit=audit_context_from(request, purpose="hotline: read to the caller"),
    )
    for item in open_requests:
        item.helper = helpers.get(item.pk)
    return {
        "open_requests": open_requests,
        "closed_requests": closed_requests,
        "notes": selectors.caller_notes(phone=phone),
        "sms_received": selectors.caller_messages(phone=phone),
    }


@operator_required
@require_POST
def request_create(request: HttpRequest, phone: str) -> HttpResponse:
    form = OperatorRequestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            zone = zone_resolve(postcode=data["postcode"])
            created = services.operator_request_create(
                operator=request.user,
                zone=zone,
                data=RequestInput(
                    category=data["category"],
                    description=data["description"],
                    urgency=data["urgency"],
                    contact=ContactInput(
                        first_name=data["first_name"], phone=phone, address=data["address"]
                    ),
                ),
                language=get_language(),
                audit=audit_context_from(request, purpose="hotline"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Request %(reference)s recorded. Read the reference to the caller.")
                % {"reference": created.entry.reference},
            )
            return redirect(_console_url(phone))
    return render(
        request,
        "channels/console.html",
        {
            "search": CallerSearchForm(initial={"phone": phone}),
            "phone": phone,
            "phone_display": format_for_display(phone),
            "voice_messages": selectors.voice_messages_waiting(),
            **_caller_context(request, phone),
            "request_form": form,
            "note_form": NoteForm(),
        },
        status=400,
    )


@operator_required
@require_POST
def request_cancel(request: HttpRequest, phone: str, reference: str) -> HttpResponse:
    help_request = get_object_or_404(HelpRequest, reference=reference, contact__phone=phone)
    try:
        services.operator_request_cancel(
            operator=request.user,
            help_request=help_request,
            audit=audit_context_from(request, purpose="hotline"),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Request %(reference)s cancelled.") % {"reference": reference})
    return redirect(_console_url(phone))


@operator_required
@require_POST
def note_add(request: HttpRequest, phone: str) -> HttpResponse:
    form = NoteForm(request.POST)
    if form.is_valid():
        services.operator_note_add(
            operator=request.user,
            phone=phone,
            text=form.cleaned_data["text"],
            audit=audit_context_from(request, purpose="hotline"),
        )
        messages.success(request, _("Note saved."))
    else:
        messages.error(request, _("Write the note first."))
    return redirect(_console_url(phone))


@operator_required
@require_POST
def voice_message_handle(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(VoiceMessage, pk=pk)
    services.voice_message_handle(
        operator=request.user, message=message, audit=audit_context_from(request, purpose="hotline")
    )
    messages.success(request, _("Voice message marked as handled."))
    return redirect(_console_url(message.caller))


@operator_required
@require_GET
@never_cache
def voice_message_audio(request: HttpRequest, pk: int) -> HttpResponse:
    """The recording, fetched from the provider with the account's credentials, so that an
    operator plays it in the console without a provider login."""
    message = get_object_or_404(VoiceMessage, pk=pk)
    try:
        audio = services.voice_message_audio(
            operator=request.user,
            message=message,
            audit=audit_context_from(request, purpose="hotline"),
        )
    except services.RecordingNotAllowed as exc:
        raise Http404(_("This recording cannot be played.")) from exc
    except services.RecordingUnavailable:
        return HttpResponse(
            _("The recording could not be fetched. Call the person back."),
            content_type="text/plain; charset=utf-8",
            status=502,
        )
    response = HttpResponse(audio, content_type="audio/mpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return response
