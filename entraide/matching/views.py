"""The helpers' work pages: a volunteer's proposals and assignments (accept, decline,
start, done, withdraw), their history, and an organisation's proposals. Served under
``/volunteer/``, next to the volunteer's account pages of ``people``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from entraide.needs.models import HelpRequest
from entraide.people.models import MemberRole, OrganisationMembership, VettingStatus, Volunteer
from entraide.platform.audit import audit_context_from
from entraide.platform.phones import format_for_display

from . import services as matching
from .models import Assignment, AssignmentStatus
from .selectors import requests_near_volunteer_page


def _volunteer_or_404(request: HttpRequest) -> Volunteer:
    try:
        return request.user.volunteer
    except Volunteer.DoesNotExist:
        raise Http404(_("This page is for volunteers.")) from None


@login_required(login_url="people:login")
def dashboard(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer_or_404(request)
    assignments = volunteer.assignments.select_related("help_request__zone")
    return render(
        request,
        "matching/dashboard.html",
        {
            "volunteer": volunteer,
            "proposals": assignments.filter(status=AssignmentStatus.PROPOSED),
            "active": assignments.filter(
                status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED]
            ),
            "history": _past(assignments)[:5],
        },
    )


def _past(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Assignments that are over (done, declined, expired, withdrawn, superseded)."""
    return assignments.exclude(
        status__in=[AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED]
    )


@login_required(login_url="people:login")
def history(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer_or_404(request)
    past = _past(volunteer.assignments.select_related("help_request__zone"))
    page = Paginator(past, 50).get_page(request.GET.get("page"))
    return render(request, "matching/history.html", {"history": page, "page": page})


@login_required(login_url="people:login")
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = _volunteer_or_404(request)
    # Another volunteer's assignment is a 404: its existence is not revealed either.
    assignment = get_object_or_404(
        Assignment.objects.select_related("help_request__zone"), pk=pk, volunteer=volunteer
    )
    contact = None
    if assignment.status in (AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED):
        try:
            contact = matching.access_help_request_contact(
                user=request.user,
                help_request=assignment.help_request,
                purpose="volunteer assignment page",
                audit=audit_context_from(request, purpose="volunteer assignment page"),
            )
        except PermissionDenied:
            contact = None
    return render(
        request,
        "matching/assignment.html",
        {
            "assignment": assignment,
            "help_request": assignment.help_request,
            "contact": contact,
            "contact_phone": format_for_display(contact.phone) if contact else "",
        },
    )


_ACTIONS = {
    "accept": (
        matching.assignment_accept,
        gettext_lazy("Thank you! The person has been told you are coming."),
    ),
    "decline": (
        matching.assignment_decline,
        gettext_lazy("Noted. The request goes to someone else."),
    ),
    "start": (matching.assignment_start, gettext_lazy("Marked as started.")),
    "done": (matching.assignment_done, gettext_lazy("Marked as done. Thank you!")),
    "withdraw": (
        matching.assignment_withdraw,
        gettext_lazy("Noted. The request goes back to matching."),
    ),
}


@require_POST
@login_required(login_url="people:login")
def assignment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    volunteer = _volunteer_or_404(request)
    assignment = get_object_or_404(Assignment, pk=pk, volunteer=volunteer)
    if action not in _ACTIONS:
        raise Http404
    service, success = _ACTIONS[action]
    try:
        service(assignment=assignment, volunteer=volunteer)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, success)
    if action in ("accept", "start"):
        return redirect("matching:assignment", pk=pk)
    return redirect("matching:dashboard")


def _organisation_assignments(user) -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        organisation_offer__organisation__memberships__user=user,
        organisation_offer__organisation__memberships__role__in=[
            MemberRole.ADMIN,
            MemberRole.COORDINATOR,
        ],
    ).select_related("help_request__zone", "organisation_offer__organisation")


@login_required(login_url="people:login")
def organisation_dashboard(request: HttpRequest) -> HttpResponse:
    """Proposals made to the offers of the organisations the user coordinates."""
    assignments = _organisation_assignments(request.user)
    if not OrganisationMembership.objects.filter(
        user=request.user, role__in=[MemberRole.ADMIN, MemberRole.COORDINATOR]
    ).exists():
        raise Http404(_("This page is for the coordinators of an organisation."))
    active = []
    for assignment in assignments.filter(
        status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED]
    ):
        contact = matching.access_help_request_contact(
            user=request.user,
            help_request=assignment.help_request,
            purpose="organisation dashboard",
            audit=audit_context_from(request, purpose="organisation dashboard"),
        )
        active.append((assignment, contact))
    return render(
        request,
        "matching/organisation.html",
        {
            "proposals": assignments.filter(status=AssignmentStatus.PROPOSED),
            "active": active,
        },
    )


_ORGANISATION_ACTIONS = {
    "accept": (
        matching.assignment_accept_for_organisation,
        gettext_lazy("Accepted. The person has been told."),
    ),
    "decline": (
        matching.assignment_decline_for_organisation,
        gettext_lazy("Noted. The request goes to someone else."),
    ),
    "done": (
        matching.assignment_finish_for_organisation,
        gettext_lazy("Marked as done. Thank you!"),
    ),
}


@require_POST
@login_required(login_url="people:login")
def organisation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    assignment = get_object_or_404(_organisation_assignments(request.user), pk=pk)
    if action not in _ORGANISATION_ACTIONS:
        raise Http404
    service, success = _ORGANISATION_ACTIONS[action]
    try:
        service(assignment=assignment, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, success)
    return redirect("matching:organisation")


@never_cache
def nearby(request: HttpRequest) -> HttpResponse:
    """Open requests near a volunteer, which a verified one may take. Anonymous visitors
    and volunteers not yet verified are told how to become one instead of a button."""
    volunteer = None
    if request.user.is_authenticated:
        volunteer = Volunteer.objects.select_related("zone").filter(user=request.user).first()
    can_take = bool(
        volunteer and volunteer.vetting_status == VettingStatus.VERIFIED and not volunteer.paused
    )
    page = None
    if volunteer is not None and volunteer.vetting_status == VettingStatus.VERIFIED:
        page = requests_near_volunteer_page(volunteer=volunteer, number=request.GET.get("page"))
    return render(
        request,
        "matching/nearby.html",
        {"volunteer": volunteer, "can_take": can_take, "page": page},
    )


@require_POST
@login_required(login_url="people:login")
def claim(request: HttpRequest, reference: str) -> HttpResponse:
    volunteer = _volunteer_or_404(request)
    help_request = get_object_or_404(
        HelpRequest.objects.only("pk", "reference"), reference=reference
    )
    try:
        assignment = matching.assignment_claim_by_volunteer(
            volunteer=volunteer,
            help_request=help_request,
            audit=audit_context_from(request, purpose="volunteer took a request"),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("matching:nearby")
    messages.success(
        request,
        _(
            "It is yours: the person has been told you are coming, with your code word. "
            "Their contact is below."
        ),
    )
    return redirect("matching:assignment", pk=assignment.pk)
