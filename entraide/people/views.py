"""Volunteer account pages: sign up, log in, confirm e-mail and phone, profile, pause; and
the coordinators' pages on volunteers (list, vetting, suspension) and organisations. The
work pages (proposals, assignments, organisations) are matching's (``matching.views``)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from entraide.needs.categories import category_label
from entraide.needs.views import SESSION_SIGN_UP_INITIAL
from entraide.platform.audit import audit_context_from, client_ip
from entraide.platform.forms import add_service_errors
from entraide.platform.ratelimit import password_reset_limit_reached
from entraide.platform.roles import coordinated_zone_ids, is_coordinator
from entraide.territory.selectors import zone_get

from . import selectors, services
from .forms import (
    EXTRA_LANGUAGES,
    PERIOD_HEADINGS,
    WEEKDAY_LABELS,
    ContactRevealForm,
    VettingDecisionForm,
    VolunteerFilterForm,
    VolunteerProfileForm,
    VolunteerSignUpForm,
)
from .models import PERIODS, WEEKDAYS, VettingStatus, Volunteer


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
                    home_address=data["home_address"],
                    radius_km=data["radius_km"],
                    categories=tuple(data["categories"]),
                    languages=tuple(data["languages"]),
                    availability=tuple(data["availability"]),
                    max_open_assignments=data["max_open_assignments"],
                    max_per_week=data["max_per_week"],
                    has_car=data["has_car"],
                    preferred_language=get_language() or "fr",
                    references=data["references"],
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
    "home_address",
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
                    home_address=data["home_address"],
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("matching:dashboard")
    return render(request, "people/profile.html", {"form": form, "volunteer": volunteer})


# Coordinators' pages: the volunteers of their zones, vetting, organisations.


def _coordinator_only(request: HttpRequest) -> None:
    """Coordinators of the territory or of a zone; the content is then narrowed to their
    zones by the selectors."""
    if not is_coordinator(request.user):
        raise PermissionDenied(_("This page is for coordinators."))


@never_cache
@login_required(login_url="people:login")
def volunteers(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    zone_ids = coordinated_zone_ids(request.user)
    zones = list(selectors.coordinator_zones(zone_ids))
    form = VolunteerFilterForm(request.GET or None, zones=zones)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.VolunteerFilters(
        status=data.get("status", ""), zone_code=data.get("zone", ""), skill=data.get("skill", "")
    )
    page = Paginator(selectors.volunteer_list(zone_ids=zone_ids, filters=filters), 25).get_page(
        request.GET.get("page")
    )
    for volunteer in page.object_list:
        volunteer.category_names = [str(category_label(c)) for c in volunteer.categories]
    counts = selectors.volunteer_counts(zone_ids=zone_ids, filters=filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/coordination/volunteers.html",
        {
            "form": form,
            "page": page,
            "counts": [(VettingStatus(s).label, s, n) for s, n in counts.items()],
            "total": sum(counts.values()),
            "filtered": any(data.values()),
            "query": query.urlencode(),
        },
    )


def _week_table(volunteer: Volunteer) -> list[tuple[str, list[bool]]]:
    """One (day, [morning, afternoon, evening]) row per day of the volunteer's week."""
    slots = set(volunteer.availability)
    return [
        (WEEKDAY_LABELS[day], [f"{day}:{period}" in slots for period in PERIODS])
        for day in WEEKDAYS
    ]


def _volunteer_page(request: HttpRequest, volunteer: Volunteer, **extra) -> HttpResponse:
    language_names = dict([*settings.LANGUAGES, *EXTRA_LANGUAGES])
    context = {
        "volunteer": volunteer,
        "categories": [category_label(c) for c in volunteer.categories],
        "language_names": [language_names.get(code, code) for code in volunteer.languages],
        "week": _week_table(volunteer),
        "period_headings": PERIOD_HEADINGS.values(),
        "reveal_form": ContactRevealForm(),
        "decision_form": VettingDecisionForm(current=volunteer.vetting_status),
        **extra,
    }
    return render(request, "people/coordination/vetting.html", context)


def _volunteer_of_coordinator(request: HttpRequest, pk: int) -> Volunteer:
    _coordinator_only(request)
    try:
        return selectors.volunteer_for_coordinator(user=request.user, pk=pk)
    except Volunteer.DoesNotExist:
        raise Http404(_("No volunteer of your zones has this number.")) from None


@never_cache
@login_required(login_url="people:login")
def vetting(request: HttpRequest, pk: int) -> HttpResponse:
    return _volunteer_page(request, _volunteer_of_coordinator(request, pk))


@never_cache
@require_POST
@login_required(login_url="people:login")
def reveal_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The contact is shown on this response only (never stored in the session)."""
    volunteer = _volunteer_of_coordinator(request, pk)
    form = ContactRevealForm(request.POST)
    contact = None
    if form.is_valid():
        purpose = form.cleaned_data["purpose"]
        try:
            contact = services.volunteer_contact_reveal(
                user=request.user,
                volunteer=volunteer,
                purpose=purpose,
                audit=audit_context_from(request, purpose=purpose),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _volunteer_page(request, volunteer, reveal_form=form, contact=contact)


@require_POST
@login_required(login_url="people:login")
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = _volunteer_of_coordinator(request, pk)
    form = VettingDecisionForm(request.POST, current=volunteer.vetting_status)
    if form.is_valid():
        try:
            services.volunteer_vet(
                volunteer=volunteer,
                to_status=form.cleaned_data["decision"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                audit=audit_context_from(request, purpose="vetting"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _DECISION_DONE[form.cleaned_data["decision"]])
            return redirect("volunteers:vetting", pk=volunteer.pk)
    return _volunteer_page(request, volunteer, decision_form=form)


_DECISION_DONE = {
    VettingStatus.VERIFIED: gettext_lazy("The volunteer is verified and has been told."),
    VettingStatus.MORE_INFO: gettext_lazy("Your question has been sent to the volunteer."),
    VettingStatus.REFUSED: gettext_lazy("The volunteer is refused and has been told why."),
    VettingStatus.SUSPENDED: gettext_lazy(
        "The volunteer is suspended: their open work is handed back to matching."
    ),
}


@never_cache
@login_required(login_url="people:login")
def organisations(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    rows = selectors.organisation_list(user=request.user)
    return render(
        request,
        "people/coordination/organisations.html",
        {"rows": rows},
    )
