"""The coordinators' queue and case view: thin views over selectors and services. Every
action is a plain form posted to :func:`case_action`, answered by a redirect (the contact
reveal excepted: its answer is the page with the contact, never stored)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from entraide.insight.access import access_insight_scope
from entraide.matching.selectors import helper_suggestions, volunteer_claims
from entraide.needs.models import HelpRequest, Urgency
from entraide.needs.states import RequestStatus
from entraide.platform.audit import audit_context_from
from entraide.platform.phones import format_for_display
from entraide.platform.roles import is_coordinator
from entraide.territory.models import Zone

from . import services
from .forms import QueueFilterForm
from .models import ACTIVE_CLAIM_STATUSES
from .selectors import (
    SLICES,
    QueueFilters,
    case_claims,
    case_file,
    case_get,
    claim_words,
    partner_claim_get,
    partner_claims,
    queue_page,
)
from .words import claim_sentence, reason_sentence, volunteer_claim_sentence

FILTERS = ("category", "channel", "reason", "urgency")


@never_cache
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    scope = access_insight_scope(
        user=request.user,
        zone_code=request.GET.get("zone", ""),
        area_code=request.GET.get("area", ""),
    )
    form = QueueFilterForm(request.GET)
    filters = QueueFilters(
        zone_ids=scope.zone_ids,
        category=form.value("category") or "",
        channel=form.value("channel") or "",
        reason=form.value("reason") or "",
        urgency=form.value("urgency"),
    )
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    page = queue_page(filters=filters, page=number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordination/queue.html",
        {
            "scope": scope,
            "form": form,
            "page": page,
            "rows": _with_claims(page.rows),
            "query": query.urlencode(),
            "filtered": any(form.value(name) not in (None, "") for name in FILTERS),
            "slice_links": _slice_links(request, page.counts),
            "volunteer_claims": [
                (claim, volunteer_claim_sentence(claim))
                for claim in volunteer_claims(zone_ids=scope.zone_ids)
            ],
        },
    )


def _with_claims(rows: list) -> list[tuple[object, str]]:
    """Each queue row with where it stands with partner organisations, in words."""
    words = claim_words(help_request_ids=[row.help_request.pk for row in rows])
    return [(row, words.get(row.help_request.pk, "")) for row in rows]


def _slice_links(
    request: HttpRequest, counts: dict[str, int]
) -> list[tuple[str, object, int, bool]]:
    links = []
    for name, label in SLICES.items():
        query = request.GET.copy()
        query.pop("page", None)
        query["reason"] = name
        current = request.GET.get("reason") == name
        links.append((f"?{query.urlencode()}", label, counts.get(name, 0), current))
    return links


def _case_context(request: HttpRequest, help_request: HelpRequest, **extra) -> dict:
    suggestions = None
    if request.GET.get("suggest") and help_request.status == RequestStatus.OPEN:
        suggestions = helper_suggestions(help_request=help_request)
    live_reason = None
    if suggestions is not None and suggestions.reason is not None:
        live_reason = reason_sentence(
            suggestions.reason, help_request=help_request, search_km=suggestions.search_km
        )
    note = getattr(help_request, "unmatched_note", None)
    claims = case_claims(help_request=help_request)
    active = next((c for c in claims if c.status in ACTIVE_CLAIM_STATUSES), None)
    return {
        "help_request": help_request,
        "file": case_file(help_request=help_request),
        "suggestions": suggestions,
        "live_reason": live_reason,
        "recorded_reason": reason_sentence(note.reason, help_request=help_request, search_km=None)
        if note
        else None,
        "message_templates": [
            (key, label) for key, (label, _text) in services.MESSAGE_TEMPLATES.items()
        ],
        "urgencies": [(level.value, level.label) for level in reversed(Urgency)],
        "is_open": help_request.status == RequestStatus.OPEN,
        "is_live": help_request.status
        in (RequestStatus.OPEN, RequestStatus.MATCHED, RequestStatus.IN_PROGRESS),
        "zones": Zone.objects.filter(territory_id=help_request.zone.territory_id)
        .exclude(pk=help_request.zone_id)
        .order_by("code")
        .only("code", "name"),
        "claims": claims,
        "active_claim": active,
        "claim_words": claim_sentence(active) if active else "",
        "organisations": services.organisations_to_offer(help_request).only("name")
        if active is None and help_request.status == RequestStatus.OPEN
        else [],
        **extra,
    }


@never_cache
@login_required
def case(request: HttpRequest, reference: str) -> HttpResponse:
    help_request = case_get(user=request.user, reference=reference)
    return render(request, "coordination/case.html", _case_context(request, help_request))


def _reveal(request: HttpRequest, help_request: HelpRequest) -> HttpResponse:
    audit = audit_context_from(request)
    try:
        revealed = services.case_reveal_contact(
            user=request.user,
            help_request=help_request,
            purpose=request.POST.get("purpose", ""),
            audit=audit,
        )
    except ValidationError as error:
        return _errors_then_back(request, help_request, error)
    phone = revealed.contact.phone
    return render(
        request,
        "coordination/case.html",
        _case_context(
            request,
            help_request,
            contact=revealed.contact,
            phone_display=format_for_display(phone) if phone else "",
            purpose=revealed.purpose,
        ),
    )


def _errors_then_back(request: HttpRequest, help_request: HelpRequest, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)
    return redirect(reverse("coordination:case", args=[help_request.reference]) + "#actions")


# action name → (service, fields of the POST it takes, confirmation)
ACTIONS = {
    "message": (
        services.case_send_message,
        {"template": "template"},
        gettext_lazy("Message queued."),
    ),
    "assign": (
        services.case_assign,
        {"volunteer_id": "volunteer"},
        gettext_lazy("Volunteer assigned."),
    ),
    "release": (
        services.case_release,
        {"assignment_id": "assignment", "reason": "reason"},
        gettext_lazy("Assignment handed back to matching."),
    ),
    "block": (
        services.case_block_pair,
        {"volunteer_id": "volunteer", "reason": "reason"},
        gettext_lazy("This volunteer will not be proposed for this request again."),
    ),
    "urgency": (
        services.case_change_urgency,
        {"urgency": "urgency", "reason": "reason"},
        gettext_lazy("Urgency changed."),
    ),
    "close": (
        services.case_close,
        {"outcome": "outcome", "reason": "reason"},
        gettext_lazy("Request closed."),
    ),
    "flag": (services.case_flag, {"reason": "reason"}, gettext_lazy("Request flagged.")),
    "unflag": (services.case_unflag, {}, gettext_lazy("Flag removed.")),
    "note": (services.case_add_note, {"text": "text"}, gettext_lazy("Note added.")),
    "hand_over": (
        services.case_hand_over,
        {"zone_code": "zone", "reason": "reason"},
        gettext_lazy("Case handed over to the other zone."),
    ),
    "offer": (
        services.case_offer,
        {"organisation_id": "organisation"},
        gettext_lazy("Case offered to the organisation. It stays in the queue until they answer."),
    ),
    "withdraw_offer": (
        services.case_withdraw_offer,
        {"reason": "reason"},
        gettext_lazy("The organisation no longer has this case."),
    ),
}


@never_cache
@login_required
@require_POST
def case_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    help_request = case_get(user=request.user, reference=reference)
    if action == "reveal":
        return _reveal(request, help_request)
    if action not in ACTIONS:
        raise Http404(_("There is no such action."))
    service, fields, done = ACTIONS[action]
    arguments = {name: request.POST.get(field, "") for name, field in fields.items()}
    try:
        service(
            user=request.user,
            help_request=help_request,
            audit=audit_context_from(request),
            **arguments,
        )
    except ValidationError as error:
        return _errors_then_back(request, help_request, error)
    except PermissionDenied as refused:
        # The case is theirs (checked above); the helper may not be (another zone).
        messages.error(request, str(refused))
        return redirect(reverse("coordination:case", args=[help_request.reference]) + "#actions")
    messages.success(request, done)
    if action == "hand_over" and not is_coordinator(request.user, zone=help_request.zone):
        return redirect("coordination:queue")
    return redirect(reverse("coordination:case", args=[help_request.reference]) + "#history")


@never_cache
@login_required
def offered_cases(request: HttpRequest, **extra) -> HttpResponse:
    """ "Cas proposés": the cases offered to the partner's organisations and those they
    took on, with only what they need to decide (no contact before they take it on)."""
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    page = partner_claims(user=request.user, page=number)
    return render(request, "coordination/claims.html", {"page": page, **extra})


def _claim_reveal(request: HttpRequest, claim) -> HttpResponse:
    try:
        contact = services.claim_reveal_contact(
            user=request.user,
            claim=claim,
            purpose=request.POST.get("purpose", ""),
            audit=audit_context_from(request),
        )
    except ValidationError as error:
        return _claim_errors(request, error)
    return offered_cases(
        request,
        revealed_claim=claim.pk,
        contact=contact,
        phone_display=format_for_display(contact.phone) if contact.phone else "",
        purpose=request.POST.get("purpose", "").strip(),
    )


def _claim_errors(request: HttpRequest, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect("coordination:claims")


# action name → (service, fields of the POST it takes, confirmation)
CLAIM_ACTIONS = {
    "take": (
        services.claim_take,
        {},
        gettext_lazy(
            "Your organisation has taken this case on. The coordinators see it on the case."
        ),
    ),
    "decline": (
        services.claim_decline,
        {"reason": "reason"},
        gettext_lazy("Case declined. It goes back to the coordinators with your reason."),
    ),
}


@never_cache
@login_required
@require_POST
def claim_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    claim = partner_claim_get(user=request.user, claim_id=pk)
    if action == "reveal":
        return _claim_reveal(request, claim)
    if action not in CLAIM_ACTIONS:
        raise Http404(_("There is no such action."))
    service, fields, done = CLAIM_ACTIONS[action]
    arguments = {name: request.POST.get(field, "") for name, field in fields.items()}
    try:
        service(user=request.user, claim=claim, audit=audit_context_from(request), **arguments)
    except ValidationError as error:
        return _claim_errors(request, error)
    messages.success(request, done)
    return redirect(reverse("coordination:claims") + f"#claim-{claim.pk}")
