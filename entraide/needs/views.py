"""Web channel: thin views over the services and selectors."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from entraide.platform import data_rights
from entraide.platform.forms import add_service_errors
from entraide.platform.ratelimit import posting_limit_reached
from entraide.platform.tokens import PrivateLinkError
from entraide.territory.models import Zone
from entraide.territory.selectors import territory_current, zone_get, zone_list, zone_resolve

from . import selectors, services
from .forms import (
    BoardFilterForm,
    HelpOfferForm,
    HelpRequestForm,
    OfferDetailsForm,
    RequestDetailsForm,
)
from .models import Channel, HelpOffer, HelpRequest
from .states import OFFER_CLOSED, REQUEST_CLOSED, OfferStatus


def home(request: HttpRequest) -> HttpResponse:
    postcode = request.GET.get("postcode", "").strip()
    error = None
    if postcode:
        try:
            zone = zone_resolve(postcode=postcode)
        except ValidationError as exc:
            error = exc.message_dict["postcode"][0]
        else:
            return redirect("needs:board", code=zone.code)
    return render(
        request,
        "needs/home.html",
        {
            "territory": territory_current(),
            "zones": zone_list(),
            "postcode": postcode,
            "postcode_error": error,
        },
    )


def _zone_or_404(code: str) -> Zone:
    try:
        return zone_get(code=code)
    except Zone.DoesNotExist:
        raise Http404(_("There is no zone with this code.")) from None


def board(request: HttpRequest, code: str) -> HttpResponse:
    zone = _zone_or_404(code)
    filters = BoardFilterForm(request.GET or None)
    category = urgency = None
    if filters.is_valid():
        category = filters.cleaned_data["category"] or None
        urgency = filters.cleaned_data["urgency"]
    show = request.GET.get("show", "requests")
    if show == "offers":
        entries = selectors.board_offers(zone=zone, category=category)
    else:
        show = "requests"
        entries = selectors.board_requests(zone=zone, category=category, urgency=urgency)
    page = Paginator(entries, settings.ENTRAIDE_BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "needs/board.html",
        {
            "zone": zone,
            "filters": filters,
            "show": show,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(category or urgency is not None),
        },
    )


def _private_url(name: str, entry: HelpRequest | HelpOffer, token: str) -> str:
    return reverse(name, kwargs={"reference": entry.reference, "token": token})


@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    form = HelpRequestForm(
        request.POST or None,
        initial={"zone": request.GET.get("zone", ""), "category": request.GET.get("category")},
    )
    if request.method == "POST" and form.is_valid():
        if posting_limit_reached(request, "post"):
            return render(request, "platform/too_many_posts.html", status=429)
        try:
            zone = zone_resolve(
                zone_code=form.cleaned_data["zone"], postcode=form.cleaned_data["postcode"]
            )
            created = services.help_request_create(
                zone=zone,
                data=form.to_input(category=form.cleaned_data["category"]),
                channel=Channel.WEB,
                language=get_language(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your request is registered."))
            url = _private_url("needs:request_private", created.entry, created.token)
            return redirect(f"{url}?created=1")
    return render(request, "needs/request_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    form = HelpOfferForm(request.POST or None, initial={"zone": request.GET.get("zone", "")})
    if request.method == "POST" and form.is_valid():
        if posting_limit_reached(request, "post"):
            return render(request, "platform/too_many_posts.html", status=429)
        try:
            zone = zone_resolve(
                zone_code=form.cleaned_data["zone"], postcode=form.cleaned_data["postcode"]
            )
            created = services.help_offer_create(
                zone=zone, data=form.to_input(), channel=Channel.WEB, language=get_language()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your offer is registered. Thank you!"))
            url = _private_url("needs:offer_private", created.entry, created.token)
            return redirect(f"{url}?created=1")
    return render(request, "needs/offer_form.html", {"form": form})


_PRIVATE_FETCH = {
    "request": selectors.help_request_by_private_link,
    "offer": selectors.help_offer_by_private_link,
}


def private_link_view(kind: str | None = None):
    """Resolve a private link's entry before the view runs, or answer with the link-error
    page (404 forged, 410 expired). ``kind`` comes from the URL when not given here."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, reference: str, token: str, **kwargs):
            entry_kind = kind or kwargs.pop("kind")
            if entry_kind not in _PRIVATE_FETCH:
                raise Http404
            try:
                entry = _PRIVATE_FETCH[entry_kind](reference=reference, token=token)
            except PrivateLinkError as error:
                return render(
                    request,
                    "needs/link_error.html",
                    {"message": error.message},
                    status=error.http_status,
                )
            return view(request, entry, token, **kwargs)

        return wrapper

    return decorator


def _request_initial(help_request: HelpRequest) -> dict:
    contact = help_request.contact
    return {
        "description": help_request.description,
        "urgency": help_request.urgency,
        "window_start": help_request.window_start,
        "window_end": help_request.window_end,
        "time_of_day": help_request.time_of_day,
        "first_name": contact.first_name,
        "phone": contact.phone,
        "email": contact.email,
        "address": contact.address,
    }


@require_http_methods(["GET", "POST"])
@private_link_view("request")
def request_private(request: HttpRequest, help_request: HelpRequest, token: str) -> HttpResponse:
    live = help_request.status not in REQUEST_CLOSED
    form = RequestDetailsForm(
        request.POST if request.method == "POST" else None,
        initial=_request_initial(help_request),
    )
    if request.method == "POST":
        if not live:
            messages.error(request, _("This request is closed: it can no longer be changed."))
            return redirect(request.path)
        if form.is_valid():
            try:
                services.help_request_update(
                    help_request=help_request,
                    data=form.to_input(category=help_request.category),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(request.path)
    return render(
        request,
        "needs/request_private.html",
        {
            "entry": help_request,
            "form": form,
            "live": live,
            "created": request.GET.get("created") == "1",
            "private_url": request.build_absolute_uri(request.path),
            "history": help_request.status_changes.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@private_link_view("request")
def request_cancel(request: HttpRequest, help_request: HelpRequest, token: str) -> HttpResponse:
    back = _private_url("needs:request_private", help_request, token)
    if request.method == "POST":
        try:
            services.help_request_cancel(
                help_request=help_request, reason=request.POST.get("reason", "")[:255]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your request is cancelled."))
        return redirect(back)
    return render(request, "needs/cancel_confirm.html", {"entry": help_request, "back": back})


def _offer_initial(offer: HelpOffer) -> dict:
    contact = offer.contact
    return {
        "categories": offer.category_codes,
        "description": offer.description,
        "availability": offer.availability,
        "first_name": contact.first_name,
        "phone": contact.phone,
        "email": contact.email,
    }


@require_http_methods(["GET", "POST"])
@private_link_view("offer")
def offer_private(request: HttpRequest, offer: HelpOffer, token: str) -> HttpResponse:
    live = offer.status not in OFFER_CLOSED
    form = OfferDetailsForm(
        request.POST if request.method == "POST" else None, initial=_offer_initial(offer)
    )
    if request.method == "POST":
        if not live:
            messages.error(request, _("This offer is closed: it can no longer be changed."))
            return redirect(request.path)
        if form.is_valid():
            try:
                services.help_offer_update(offer=offer, data=form.to_input())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(request.path)
    return render(
        request,
        "needs/offer_private.html",
        {
            "entry": offer,
            "form": form,
            "live": live,
            "created": request.GET.get("created") == "1",
            "private_url": request.build_absolute_uri(request.path),
            "history": offer.status_changes.all(),
        },
    )


_OFFER_ACTIONS = {
    "pause": (OfferStatus.PAUSED, gettext_lazy("Your offer is paused. Take care of yourself.")),
    "resume": (OfferStatus.OPEN, gettext_lazy("Your offer is visible again.")),
    "withdraw": (
        OfferStatus.CANCELLED,
        gettext_lazy("Your offer is withdrawn. Thank you for your help."),
    ),
}


@require_POST
@private_link_view("offer")
def offer_status(request: HttpRequest, offer: HelpOffer, token: str) -> HttpResponse:
    action = _OFFER_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Unknown action."))
    else:
        try:
            services.help_offer_transition(
                offer=offer, to_status=action[0], actor_label=services.Actor.HELPER
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, action[1])
    return redirect(_private_url("needs:offer_private", offer, token))


def _owner_key(entry: HelpRequest | HelpOffer) -> data_rights.PersonKey:
    contact = entry.contact
    return data_rights.person_key(phone=contact.phone, email=contact.email)


@private_link_view()
def my_data(request: HttpRequest, entry: HelpRequest | HelpOffer, token: str) -> HttpResponse:
    """The resident downloads everything we hold about them (JSON)."""
    reference = entry.reference
    export = data_rights.personal_data_export(
        key=_owner_key(entry), actor=None, purpose=f"resident via private link {reference}"
    )
    response = JsonResponse(export.__dict__, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="entraide-{reference}.json"'
    return response


@require_http_methods(["GET", "POST"])
@private_link_view()
def forget_me(request: HttpRequest, entry: HelpRequest | HelpOffer, token: str) -> HttpResponse:
    """The resident asks to be forgotten: live entries are cancelled, then anonymised."""
    reference = entry.reference
    if request.method == "POST":
        if isinstance(entry, HelpRequest) and entry.status not in REQUEST_CLOSED:
            services.help_request_cancel(help_request=entry, reason="erasure requested")
        if isinstance(entry, HelpOffer) and entry.status not in OFFER_CLOSED:
            services.help_offer_transition(
                offer=entry,
                to_status=OfferStatus.CANCELLED,
                actor_label=services.Actor.HELPER,
                reason="erasure requested",
            )
        data_rights.personal_data_erase(
            key=_owner_key(entry), actor=None, purpose=f"resident via private link {reference}"
        )
        messages.success(request, _("Your personal data has been erased."))
        return redirect("needs:home")
    return render(request, "needs/forget_confirm.html", {"entry": entry})
