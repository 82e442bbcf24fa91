"""Volunteer pages: sign up, see proposals and assignments, accept or decline, pause."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from entraide.matching import services as matching
from entraide.matching.models import Assignment, AssignmentStatus
from entraide.platform.audit import client_ip
from entraide.platform.forms import add_service_errors
from entraide.platform.ratelimit import password_reset_limit_reached
from entraide.territory.selectors import zone_get

from . import services
from .forms import VolunteerSignUpForm
from .models import MemberRole, OrganisationMembership, Volunteer


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = VolunteerSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            volunteer = services.volunteer_sign_up(
                data=services.VolunteerInput(
                    first_name=data["first_name"],
                    email=data["email"],
                    password=data["password"],
                    phone=data["phone"],
                    zone=zone_get(code=data["zone"]),
                    home_lat=None,
                    home_lon=None,
                    radius_km=data["radius_km"],
                    categories=tuple(data["categories"]),
                    languages=tuple(data["languages"]),
                    availability=tuple(data["availability"]),
                    max_open_assignments=data["max_open_assignments"],
                    max_per_week=data["max_per_week"],
                    has_car=data["has_car"],
                    preferred_language=get_language() or "fr",
                ),
                client_ip=client_ip(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The password was set a moment ago: no need to check it again, but Django
            # must be told which backend vouches for the user (there are several).
            login(request, volunteer.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Thank you! A coordinator will check your profile before your first request."),
            )
            return redirect("people:dashboard")
    return render(request, "people/sign_up.html", {"form": form})


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Password reset with mails capped per address and per connection.

    Over the cap nothing is sent, and the page answers exactly as it does otherwise, so
    it tells nobody whether an account exists or whether it was throttled.
    """

    def form_valid(self, form):
        if password_reset_limit_reached(
            ip=client_ip(self.request), email=form.cleaned_data["email"]
        ):
            return redirect(self.get_success_url())
        return super().form_valid(form)


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.volunteer_verify_email(token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your e-mail address is confirmed."))
    return redirect("people:dashboard" if request.user.is_authenticated else "needs:home")


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
        "people/dashboard.html",
        {
            "volunteer": volunteer,
            "proposals": assignments.filter(status=AssignmentStatus.PROPOSED),
            "active": assignments.filter(
                status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED]
            ),
            "history": assignments.exclude(
                status__in=[
                    AssignmentStatus.PROPOSED,
                    AssignmentStatus.ACCEPTED,
                    AssignmentStatus.STARTED,
                ]
            )[:20],
        },
    )


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
                http_request=request,
            )
        except PermissionDenied:
            contact = None
    return render(
        request,
        "people/assignment.html",
        {
            "assignment": assignment,
            "help_request": assignment.help_request,
            "contact": contact,
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
        return redirect("people:assignment", pk=pk)
    return redirect("people:dashboard")


@require_POST
@login_required(login_url="people:login")
def pause(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer_or_404(request)
    paused = request.POST.get("paused") == "1"
    services.volunteer_set_paused(volunteer=volunteer, paused=paused)
    messages.success(
        request,
        _("You are on a break: no new requests until you come back.")
        if paused
        else _("Welcome back! You can receive requests again."),
    )
    return redirect("people:dashboard")


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
            http_request=request,
        )
        active.append((assignment, contact))
    return render(
        request,
        "people/organisation.html",
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
    return redirect("people:organisation")


@require_POST
@login_required(login_url="people:login")
def confirm_phone(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer_or_404(request)
    try:
        if request.POST.get("resend"):
            services.volunteer_send_phone_code(volunteer=volunteer, client_ip=client_ip(request))
            messages.success(request, _("A new code is on its way."))
        else:
            services.volunteer_confirm_phone(volunteer=volunteer, code=request.POST.get("code", ""))
            messages.success(request, _("Your phone number is confirmed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("people:dashboard")
