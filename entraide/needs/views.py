"""Web channel: thin views over the services and selectors."""

import hmac
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from entraide.platform import data_rights, identity
from entraide.platform.forms import add_service_errors
from entraide.platform.models import ProofKind
from entraide.platform.phones import format_for_display, is_mobile
from entraide.platform.ratelimit import posting_limit_reached
from entraide.platform.tokens import PrivateLinkError
from entraide.territory.models import Zone
from entraide.territory.selectors import territory_current, zone_get, zone_list, zone_resolve

from . import feedback as feedback_service
from . import selectors, services
from .data_rights_forms import ContactCodeForm, ContactProofForm, ErasureConfirmForm
from .forms import (
    BoardFilterForm,
    HelpOfferForm,
    HelpRequestForm,
    OfferDetailsForm,
    RequestDetailsForm,
)
from .helpers import helper_for_requester
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


# A private link is exchanged for the session on its first visit: the browser is sent on
# to a URL without the token, so the token is not written in access logs again, and every
# later page and action of that entry is reached through the session.
SESSION_ENTRIES = "private_entries"
SESSION_NEW_LINK = "new_private_link"

_MODELS = {"request": HelpRequest, "offer": HelpOffer}
_PAGE = {
    ("request", ""): "needs:request_page",
    ("request", "cancel"): "needs:request_cancel_page",
    ("offer", ""): "needs:offer_page",
    ("offer", "status"): "needs:offer_status_page",
}


def _known_action(kind: str, action: str) -> bool:
    return (kind, action) in _PAGE or action in ("my-data", "forget")


def _kind_of(entry: HelpRequest | HelpOffer) -> str:
    return "request" if isinstance(entry, HelpRequest) else "offer"


def _page_url(kind: str, reference: str, action: str = "") -> str:
    if action in ("my-data", "forget"):
        name = "needs:entry_data" if action == "my-data" else "needs:entry_forget"
        return reverse(name, kwargs={"kind": kind, "reference": reference})
    return reverse(_PAGE[(kind, action)], kwargs={"reference": reference})


def _grant(request: HttpRequest, entry: HelpRequest | HelpOffer) -> None:
    granted = request.session.get(SESSION_ENTRIES, {})
    granted[f"{_kind_of(entry)}:{entry.reference}"] = entry.private_token_hash
    request.session[SESSION_ENTRIES] = granted


def _created_redirect(request: HttpRequest, entry: HelpRequest | HelpOffer, token: str):
    """Open the new entry in this session and show its private link once."""
    _grant(request, entry)
    kind = _kind_of(entry)
    link = reverse(f"needs:{kind}_private", kwargs={"reference": entry.reference, "token": token})
    request.session[SESSION_NEW_LINK] = {"reference": entry.reference, "link": link}
    return redirect(_page_url(kind, entry.reference))


@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    form = HelpRequestForm(
        request.POST or None,
        initial={"zone": request.GET.get("zone", ""), "category": request.GET.get("category")},
    )
    if request.method == "POST":
        zone = _request_form_checked(form)
        if zone is not None:
            if posting_limit_reached(request, "post"):
                return render(request, "platform/too_many_posts.html", status=429)
            try:
                created = services.help_request_create(
                    zone=zone,
                    data=form.to_input(category=form.cleaned_data["category"]),
                    channel=Channel.WEB,
                    language=get_language(),
                    send_link=True,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your request is registered."))
                return _created_redirect(request, created.entry, created.token)
    return render(request, "needs/request_form.html", {"form": form})


def _request_form_checked(form: HelpRequestForm) -> Zone | None:
    return _form_checked(
        form,
        lambda data: services.help_request_check(
            data=form.to_input(category=data.get("category", "")), already_wrong=form.errors
        ),
    )


def _form_checked(
    form: HelpRequestForm | HelpOfferForm, service_check: Callable[[dict], None]
) -> Zone | None:
    """Every mistake of a posted request or offer form at once — what the form cannot
    read, the zone, then the service's rules on the rest — put on the form. Return the
    zone when there is none."""
    valid = form.is_valid()
    data = form.cleaned_data
    zone = None
    if "zone" not in form.errors and "postcode" not in form.errors:
        try:
            zone = zone_resolve(zone_code=data.get("zone", ""), postcode=data.get("postcode", ""))
        except ValidationError as exc:
            add_service_errors(form, exc)
    try:
        service_check(data)
    except ValidationError as exc:
        add_service_errors(form, exc)
    return zone if valid and not form.errors else None


@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    form = HelpOfferForm(request.POST or None, initial={"zone": request.GET.get("zone", "")})
    if request.method == "POST":
        zone = _offer_form_checked(form)
        if zone is not None:
            if posting_limit_reached(request, "post"):
                return render(request, "platform/too_many_posts.html", status=429)
            try:
                created = services.help_offer_create(
                    zone=zone,
                    data=form.to_input(),
                    channel=Channel.WEB,
                    language=get_language(),
                    send_link=True,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your offer is registered. Thank you!"))
                return _created_redirect(request, created.entry, created.token)
    return render(request, "needs/offer_form.html", {"form": form})


def _offer_form_checked(form: HelpOfferForm) -> Zone | None:
    def check(data: dict) -> None:
        offer_input = services.OfferInput(
            categories=tuple(data.get("categories", ())),
            description=data.get("description", ""),
            availability=data.get("availability", ""),
            contact=form.contact_input(),
        )
        services.help_offer_check(data=offer_input, already_wrong=form.errors)

    return _form_checked(form, check)


_PRIVATE_FETCH = {
    "request": selectors.help_request_by_private_link,
    "offer": selectors.help_offer_by_private_link,
}


def _link_error(request: HttpRequest, error: PrivateLinkError) -> HttpResponse:
    return render(
        request, "needs/link_error.html", {"message": error.message}, status=error.http_status
    )


@require_http_methods(["GET", "HEAD", "POST"])
def private_link(
    request: HttpRequest, reference: str, token: str, kind: str, action: str = ""
) -> HttpResponse:
    """A private link (also its old action URLs): check the token, open the entry in this
    session, and send the browser on to the same page without the token (a form posted to
    an old URL is posted again there: 307)."""
    if kind not in _PRIVATE_FETCH or not _known_action(kind, action):
        raise Http404
    try:
        entry = _PRIVATE_FETCH[kind](reference=reference, token=token)
    except PrivateLinkError as error:
        return _link_error(request, error)
    _grant(request, entry)
    response = redirect(_page_url(kind, entry.reference, action))
    if request.method == "POST":
        response.status_code = 307
    return response


def _entry_in_session(request: HttpRequest, kind: str, reference: str):
    """The entry this session opened with its private link. Raise PrivateLinkError as a
    wrong link would: a session that never opened it, or a link that has expired since."""
    granted = request.session.get(SESSION_ENTRIES, {}).get(f"{kind}:{reference}")
    entry = _MODELS[kind].objects.select_related("zone").filter(reference=reference).first()
    if (
        entry is None
        or granted is None
        or not hmac.compare_digest(granted, entry.private_token_hash)
    ):
        raise PrivateLinkError(
            "invalid_link",
            gettext_lazy("Open the private link you were given to reach this page."),
        )
    if entry.private_link_expires_at < timezone.now():
        raise PrivateLinkError(
            "expired_link",
            gettext_lazy(
                "This private link has expired. Contact the hotline if you still need it."
            ),
        )
    return entry


def private_entry_view(kind: str | None = None):
    """Resolve the entry this session opened before the view runs, or answer with the
    link-error page (404, 410). ``kind`` comes from the URL when not given here."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, reference: str, **kwargs):
            entry_kind = kind or kwargs.pop("kind")
            if entry_kind not in _MODELS:
                raise Http404
            try:
                entry = _entry_in_session(request, entry_kind, reference)
            except PrivateLinkError as error:
                return _link_error(request, error)
            return view(request, entry, **kwargs)

        return wrapper

    return decorator


def _new_link(request: HttpRequest, entry: HelpRequest | HelpOffer) -> str:
    """The private link of an entry created by this session, shown once."""
    new = request.session.get(SESSION_NEW_LINK)
    if not new or new.get("reference") != entry.reference:
        return ""
    del request.session[SESSION_NEW_LINK]
    return request.build_absolute_uri(new["link"])


def _request_initial(help_request: HelpRequest) -> dict:
    contact = help_request.contact
    return {
        "description": help_request.description,
        "urgency": help_request.urgency,
        "window_start": help_request.window_start,
        "window_end": help_request.window_end,
        "time_of_day": help_request.time_of_day,
        "first_name": contact.first_name,
        "phone": format_for_display(contact.phone) if contact.phone else "",
        "email": contact.email,
        "address": contact.address,
    }


@require_http_methods(["GET", "POST"])
@private_entry_view("request")
def request_private(request: HttpRequest, help_request: HelpRequest) -> HttpResponse:
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
    private_url = _new_link(request, help_request)
    contact = help_request.contact
    return render(
        request,
        "needs/request_private.html",
        {
            "entry": help_request,
            "form": form,
            "live": live,
            "private_url": private_url,
            "link_sent": bool(private_url)
            and bool(contact.email or (contact.phone and is_mobile(contact.phone))),
            "history": help_request.status_changes.all(),
            "helper": helper_for_requester(help_request=help_request) if live else None,
        },
    )


@require_http_methods(["GET", "POST"])
@private_entry_view("request")
def request_cancel(request: HttpRequest, help_request: HelpRequest) -> HttpResponse:
    back = _page_url("request", help_request.reference)
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
        "phone": format_for_display(contact.phone) if contact.phone else "",
        "email": contact.email,
    }


@require_http_methods(["GET", "POST"])
@private_entry_view("offer")
def offer_private(request: HttpRequest, offer: HelpOffer) -> HttpResponse:
    live = offer.status not in OFFER_CLOSED
    contact = offer.contact
    private_url = _new_link(request, offer)
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
            "private_url": private_url,
            "link_sent": bool(private_url)
            and bool(contact.email or (contact.phone and is_mobile(contact.phone))),
            "history": offer.status_changes.all(),
            "sign_up_url": _volunteer_invitation(request, offer) if live else "",
        },
    )


# Read by ``people.views.sign_up``: the offer's contact pre-fills the volunteer sign-up
# through the session, so that no e-mail or phone number is written in a URL.
SESSION_SIGN_UP_INITIAL = "volunteer_sign_up_initial"


def _volunteer_invitation(request: HttpRequest, offer: HelpOffer) -> str:
    """The volunteer sign-up link pre-filled with the offer: zone and categories in the
    query, the contact in the session (never the private token)."""
    contact = offer.contact
    request.session[SESSION_SIGN_UP_INITIAL] = {
        "first_name": contact.first_name,
        "email": contact.email,
        "phone": format_for_display(contact.phone) if contact.phone else "",
    }
    query = urlencode({"zone": offer.zone.code, "categories": offer.category_codes}, doseq=True)
    return f"{reverse('people:sign_up')}?{query}"


_OFFER_ACTIONS = {
    "pause": (OfferStatus.PAUSED, gettext_lazy("Your offer is paused. Take care of yourself.")),
    "resume": (OfferStatus.OPEN, gettext_lazy("Your offer is visible again.")),
    "withdraw": (
        OfferStatus.CANCELLED,
        gettext_lazy("Your offer is withdrawn. Thank you for your help."),
    ),
}


@require_POST
@private_entry_view("offer")
def offer_status(request: HttpRequest, offer: HelpOffer) -> HttpResponse:
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
    return redirect(_page_url("offer", offer.reference))


@private_entry_view()
def my_data(request: HttpRequest, entry: HelpRequest | HelpOffer) -> HttpResponse:
    """The resident downloads what this entry holds (JSON): this entry only, since the
    private link proves nothing about the phone or e-mail typed into it."""
    reference = entry.reference
    export = data_rights.personal_data_export(
        key=data_rights.entry_key(reference=reference),
        actor=None,
        purpose=f"resident via private link {reference}",
    )
    return _json_download(export, f"entraide-{reference}.json")


def _json_download(export: data_rights.Export, filename: str) -> HttpResponse:
    response = JsonResponse(export.__dict__, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@private_entry_view()
def forget_me(request: HttpRequest, entry: HelpRequest | HelpOffer) -> HttpResponse:
    """The resident erases this entry: cancelled if live, then anonymised."""
    reference = entry.reference
    if request.method == "POST":
        data_rights.personal_data_erase(
            key=data_rights.entry_key(reference=reference),
            actor=None,
            purpose=f"resident via private link {reference}",
        )
        request.session.get(SESSION_ENTRIES, {}).pop(f"{_kind_of(entry)}:{reference}", None)
        request.session.modified = True
        messages.success(
            request,
            _("The personal data of %(reference)s has been erased.") % {"reference": reference},
        )
        return redirect("needs:home")
    return render(
        request,
        "needs/forget_confirm.html",
        {"entry": entry, "back": _page_url(_kind_of(entry), reference)},
    )


# Everything held about a phone or an e-mail, across entries: only once it is proven.


# What a proof of contact was asked for: the data-rights pages, or lost private links.
SESSION_PROOF_PURPOSE = "contact_proof_purpose"
_AFTER_PROOF = {"data_rights": "needs:data_rights_home", "lost_link": "needs:my_entries"}


def _proof_start(request: HttpRequest, *, purpose: str, template: str) -> HttpResponse:
    """Step 1: the resident gives their phone or e-mail; we send a code or a link."""
    form = ContactProofForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proof = identity.contact_proof_start(
                raw_contact=form.cleaned_data["contact"], request=request, purpose=purpose
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session[SESSION_PROOF_PURPOSE] = purpose
            if proof.kind == ProofKind.PHONE:
                request.session[identity.SESSION_PROOF] = proof.pk
                return redirect("needs:data_rights_code")
            return render(request, "needs/data_rights_link_sent.html")
    return render(request, template, {"form": form})


def _after_proof(request: HttpRequest) -> HttpResponse:
    purpose = request.session.pop(SESSION_PROOF_PURPOSE, "data_rights")
    return redirect(_AFTER_PROOF.get(purpose, "needs:data_rights_home"))


@require_http_methods(["GET", "POST"])
def data_rights_start(request: HttpRequest) -> HttpResponse:
    return _proof_start(request, purpose="data_rights", template="needs/data_rights_start.html")


@require_http_methods(["GET", "POST"])
def lost_link(request: HttpRequest) -> HttpResponse:
    """ "I lost my link": the same proof of contact, then the entries come back."""
    return _proof_start(request, purpose="lost_link", template="needs/lost_link.html")


@require_http_methods(["GET", "POST"])
def data_rights_code(request: HttpRequest) -> HttpResponse:
    """Step 2 (phone): the six-digit code received by SMS."""
    proof_id = request.session.get(identity.SESSION_PROOF)
    if proof_id is None:
        return redirect("needs:data_rights_start")
    form = ContactCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proven = identity.contact_proof_check_code(
                proof_id=proof_id, code=form.cleaned_data["code"], request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            identity.session_remember(request=request, proven=proven)
            return _after_proof(request)
    return render(request, "needs/data_rights_code.html", {"form": form})


@require_http_methods(["GET", "HEAD"])
def data_rights_link(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2 (e-mail): the one-time link. It is kept in the session and the browser is
    sent on to a page without it; the link is used only when the person confirms there
    (so a mail scanner opening links uses nothing)."""
    request.session[identity.SESSION_LINK] = token
    return redirect("needs:data_rights_confirm")


@require_http_methods(["GET", "POST"])
def data_rights_confirm(request: HttpRequest) -> HttpResponse:
    token = request.session.get(identity.SESSION_LINK)
    if token is None:
        return redirect("needs:data_rights_start")
    error = None
    if request.method == "POST":
        try:
            proven = identity.contact_proof_check_link(token=token, request=request)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            identity.session_remember(request=request, proven=proven)
            return _after_proof(request)
        finally:
            request.session.pop(identity.SESSION_LINK, None)
    return render(request, "needs/data_rights_confirm.html", {"error": error})


def _proven_or_start(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        proven = identity.session_proven(request=request)
        if proven is None:
            messages.info(request, _("Prove your phone number or e-mail address first."))
            return redirect("needs:data_rights_start")
        return view(request, proven, *args, **kwargs)

    return wrapper


@require_http_methods(["GET"])
@_proven_or_start
def data_rights_home(request: HttpRequest, proven: identity.ProvenContact) -> HttpResponse:
    """Step 3: download or erase."""
    return render(request, "needs/data_rights_home.html", {"proven": proven})


@require_http_methods(["GET"])
@_proven_or_start
def data_rights_download(request: HttpRequest, proven: identity.ProvenContact) -> HttpResponse:
    export = identity.resident_export(proven=proven)
    return _json_download(export, "entraide-my-data.json")


@require_http_methods(["GET", "POST"])
@_proven_or_start
def data_rights_erase(request: HttpRequest, proven: identity.ProvenContact) -> HttpResponse:
    form = ErasureConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = identity.resident_erase(proven=proven)
        identity.session_forget(request=request)
        return render(request, "needs/data_rights_erased.html", {"result": result})
    return render(request, "needs/data_rights_erase.html", {"form": form, "proven": proven})


@require_http_methods(["GET"])
@_proven_or_start
def my_entries(request: HttpRequest, proven: identity.ProvenContact) -> HttpResponse:
    """After a proof of contact: the entries made with it are opened in this session,
    as their private links would, and listed."""
    key = "phone" if proven.kind == ProofKind.PHONE else "email"
    entries = selectors.entries_of_contact(**{key: proven.contact})
    for entry in entries:
        _grant(request, entry)
    listed = [
        {
            "entry": entry,
            "kind": _kind_of(entry),
            "url": _page_url(_kind_of(entry), entry.reference),
        }
        for entry in entries
    ]
    shown = format_for_display(proven.contact) if key == "phone" else proven.contact
    return render(request, "needs/my_entries.html", {"contact": shown, "entries": listed})


# The feedback question, answered through the one-time link sent when a request is done.
SESSION_FEEDBACK = "feedback_link"


@require_http_methods(["GET", "HEAD"])
def feedback_link(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    """Keep the one-time token in the session and go on to a page without it; nothing is
    recorded until the person clicks an answer (a mail scanner opening links answers
    nothing)."""
    request.session[SESSION_FEEDBACK] = {"reference": reference, "token": token}
    return redirect("needs:request_feedback", reference=reference)


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, reference: str) -> HttpResponse:
    held = request.session.get(SESSION_FEEDBACK) or {}
    token = held.get("token", "") if held.get("reference") == reference else ""
    error = None
    try:
        help_request = feedback_service.feedback_pending(reference=reference, token=token)
    except ValidationError as exc:
        return render(
            request, "needs/feedback.html", {"reference": reference, "error": exc.messages[0]}
        )
    if request.method == "POST" and request.POST.get("helped") in ("yes", "no"):
        try:
            feedback_service.feedback_record(
                reference=reference, token=token, helped=request.POST["helped"] == "yes"
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            request.session.pop(SESSION_FEEDBACK, None)
            return render(request, "needs/feedback.html", {"reference": reference, "thanks": True})
    return render(
        request,
        "needs/feedback.html",
        {"reference": reference, "help_request": help_request, "error": error},
    )
