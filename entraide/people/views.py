"""Volunteer account pages: sign up, log in, confirm e-mail and phone, profile, pause. The work
pages (proposals, assignments, organisations) are matching's (``matching.views``)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from entraide.needs.views import SESSION_SIGN_UP_INITIAL
from entraide.platform.audit import client_ip
from entraide.platform.forms import add_service_errors
from entraide.platform.ratelimit import password_reset_limit_reached
from entraide.territory.selectors import zone_get

from . import services
from .forms import VolunteerProfileForm, VolunteerSignUpForm
from .models import Volunteer


def _sign_up_initial(request: HttpRequest) -> dict:
    """A neighbour's offer invites them to sign up: its zone and categories come in the
    query, its first name, e-mail and phone in the session (``needs.views``)."""
    initial = dict(request.session.get(SESSION_SIGN_UP_INITIAL, {}))
    if request.GET.get("zone"):
        initial["zone"] = request.GET["zone"]
    if request.GET.getlist("categories"):
        initial["categories"] = request.GET.getlist("categories")
    return initial


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = VolunteerSignUpForm(request.POST or None, initial=_sign_up_initial(request))
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
            return redirect("matching:dashboard")
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
    return redirect("matching:dashboard" if request.user.is_authenticated else "needs:home")


def _volunteer_or_404(request: HttpRequest) -> Volunteer:
    try:
        return request.user.volunteer
    except Volunteer.DoesNotExist:
        raise Http404(_("This page is for volunteers.")) from None


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
    return redirect("matching:dashboard")


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
    return redirect("matching:dashboard")


_PROFILE_FIELDS = (
    "radius_km",
    "categories",
    "languages",
    "availability",
    "max_open_assignments",
    "max_per_week",
    "has_car",
)


@require_http_methods(["GET", "POST"])
@login_required(login_url="people:login")
def profile(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer_or_404(request)
    initial = {name: getattr(volunteer, name) for name in _PROFILE_FIELDS}
    form = VolunteerProfileForm(
        request.POST or None, initial={**initial, "zone": volunteer.zone.code}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.volunteer_update_profile(
                volunteer=volunteer,
                data=services.ProfileInput(
                    zone=zone_get(code=data["zone"]),
                    radius_km=data["radius_km"],
                    categories=tuple(data["categories"]),
                    languages=tuple(data["languages"]),
                    availability=tuple(data["availability"]),
                    max_open_assignments=data["max_open_assignments"],
                    max_per_week=data["max_per_week"],
                    has_car=data["has_car"],
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("matching:dashboard")
    return render(request, "people/profile.html", {"form": form, "volunteer": volunteer})
