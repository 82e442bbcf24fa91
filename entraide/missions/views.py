"""Pages of missions: the volunteers' list, a mission, my shifts; the organisers' missions,
shifts, roster and fair-load view. Thin: parse, call a service or a selector, render.
Someone else's mission (or a draft) is a 404, so its existence is not revealed either."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entraide.needs.categories import category_label
from entraide.people.models import Organisation, Volunteer
from entraide.platform.audit import audit_context_from
from entraide.platform.roles import coordinated_zone_ids, is_coordinator
from entraide.territory.models import Zone

from . import selectors, services
from .forms import MissionFilterForm, MissionForm, RuleForm, ShiftForm
from .models import HOLDING, Mission, MissionStatus, Shift, ShiftStatus, Signup, SignupStatus
from .permissions import can_manage, can_manage_missions, managed_missions, managed_organisations

LOGIN = "people:login"
PAGE_SIZE = 20


def _volunteer(request: HttpRequest) -> Volunteer | None:
    if not request.user.is_authenticated:
        return None
    return Volunteer.objects.filter(user=request.user).first()


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Volunteers -----------------------------------------------------------------------


def mission_list(request: HttpRequest) -> HttpResponse:
    # Missions whose next shift has just started move on to the following one (usually
    # none: the periodic task does it every 15 minutes).
    services.mission_next_shift_refresh()
    volunteer = _volunteer(request)
    zones = Zone.objects.order_by("code")
    form = MissionFilterForm(request.GET or None, zones=zones)
    filters = selectors.MissionFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.MissionFilters(
            zone_code=data["zone"],
            category=data["category"],
            day=data["day"],
            within_km=float(data["within"]) if data["within"] else None,
        )
    page = Paginator(
        selectors.missions_listed(filters=filters, volunteer=volunteer), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = selectors.open_counts(list(page), day=filters.day)
    for mission in page:
        mission.shifts_open = counts.get(mission.pk, 0)
        mission.kind_label = category_label(mission.category)
    return render(
        request,
        "missions/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "volunteer": volunteer,
            "filtered": any(request.GET.get(k) for k in ("zone", "day", "category", "within")),
            "manages": can_manage_missions(request.user),
        },
    )


def mission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_object_or_404(Mission.objects.select_related("zone", "organisation"), pk=pk)
    if mission.status != MissionStatus.PUBLISHED and not can_manage(request.user, mission):
        raise Http404
    volunteer = _volunteer(request)
    shifts = list(selectors.mission_shifts(mission))
    mine = selectors.active_signup_map(volunteer, shifts) if volunteer else {}
    rows = []
    for shift in shifts:
        signup = mine.get(shift.pk)
        rows.append(
            {
                "shift": shift,
                "signup": signup,
                "position": selectors.waiting_position(signup)
                if signup and signup.status == SignupStatus.WAITING
                else None,
                "deadline": services.cancel_deadline(signup) if signup else None,
            }
        )
    return render(
        request,
        "missions/detail.html",
        {
            "mission": mission,
            "rows": rows,
            "volunteer": volunteer,
            "category": category_label(mission.category),
            "skills": [category_label(code) for code in mission.required_categories],
            "meeting_place": selectors.sees_meeting_place(volunteer, mission),
            "now": timezone.now(),
        },
    )


@login_required(login_url=LOGIN)
@require_POST
def shift_signup(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_object_or_404(Shift.objects.select_related("mission"), pk=pk)
    if shift.mission.status != MissionStatus.PUBLISHED:
        raise Http404
    volunteer = _volunteer(request)
    if volunteer is None:
        messages.error(request, _("Only volunteers can sign up: create your volunteer account."))
        return redirect("missions:detail", pk=shift.mission_id)
    try:
        signup = services.signup_create(
            shift=shift,
            volunteer=volunteer,
            audit=audit_context_from(request, purpose="shift sign-up"),
            age_confirmed=request.POST.get("age_confirmed") == "on",
        )
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        if signup.status == SignupStatus.CONFIRMED:
            messages.success(request, _("You are signed up. Thank you!"))
        else:
            messages.info(
                request,
                _(
                    "This shift is full: you are on the waiting list (position %(n)s). "
                    "If a place comes free, it is yours and we will tell you."
                )
                % {"n": selectors.waiting_position(signup)},
            )
    return redirect(reverse("missions:detail", args=[shift.mission_id]) + f"#shift-{shift.pk}")


@login_required(login_url=LOGIN)
@require_POST
def signup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    signup = get_object_or_404(Signup.objects.select_related("shift__mission", "volunteer"), pk=pk)
    if signup.volunteer.user_id != request.user.pk and not can_manage(
        request.user, signup.shift.mission
    ):
        raise Http404
    try:
        services.signup_cancel(
            signup=signup,
            actor=request.user,
            audit=audit_context_from(request, purpose="shift cancellation"),
        )
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    back = request.POST.get("next", "")
    if back.startswith("/missions/") and "//" not in back:
        return redirect(back)
    return redirect("missions:mine")


@login_required(login_url=LOGIN)
def my_shifts(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer(request)
    if volunteer is None:
        raise Http404
    signups = list(selectors.signups_of(volunteer))
    now = timezone.now()
    rows = [
        {
            "signup": s,
            "deadline": services.cancel_deadline(s),
            "position": selectors.waiting_position(s) if s.status == SignupStatus.WAITING else None,
        }
        for s in signups
        if s.shift.ends_at > now or s.status in HOLDING
    ]
    calendar_url = request.session.pop("missions_calendar_url", "")
    return render(
        request,
        "missions/mine.html",
        {
            "rows": rows,
            "now": now,
            "calendar_url": calendar_url,
            "has_calendar": hasattr(volunteer, "calendar_token"),
        },
    )


@login_required(login_url=LOGIN)
@require_POST
def calendar_link(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer(request)
    if volunteer is None:
        raise Http404
    audit = audit_context_from(request, purpose="calendar link")
    if request.POST.get("action") == "revoke":
        services.calendar_token_revoke(volunteer=volunteer, audit=audit)
        messages.success(request, _("Your calendar link no longer works."))
    else:
        token = services.calendar_token_renew(volunteer=volunteer, audit=audit)
        request.session["missions_calendar_url"] = request.build_absolute_uri(
            reverse("missions:volunteer_ics", args=[token])
        )
        messages.success(
            request,
            _("Here is your new calendar link; any previous one no longer works."),
        )
    return redirect("missions:mine")


# --- Organisers -----------------------------------------------------------------------


def _gate(request: HttpRequest) -> None:
    if not can_manage_missions(request.user):
        raise PermissionDenied


def _managed(request: HttpRequest, pk: int) -> Mission:
    mission = get_object_or_404(Mission.objects.select_related("zone", "organisation"), pk=pk)
    if not can_manage(request.user, mission):
        raise Http404
    return mission


def _managed_shift(request: HttpRequest, pk: int) -> Shift:
    shift = get_object_or_404(Shift.objects.select_related("mission__zone"), pk=pk)
    if not can_manage(request.user, shift.mission):
        raise Http404
    return shift


def _zones_for(request: HttpRequest):
    zones = Zone.objects.order_by("code")
    if is_coordinator(request.user):
        ids = coordinated_zone_ids(request.user)
        return zones if ids is None else zones.filter(pk__in=ids)
    return zones.filter(organisations__in=managed_organisations(request.user)).distinct()


def _organisations_for(request: HttpRequest):
    if is_coordinator(request.user):
        return Organisation.objects.order_by("name")
    return managed_organisations(request.user).order_by("name")


@login_required(login_url=LOGIN)
def manage(request: HttpRequest) -> HttpResponse:
    _gate(request)
    missions = (
        managed_missions(request.user)
        .select_related("zone", "organisation")
        .exclude(status=MissionStatus.CLOSED)
        .order_by("status", "-created_at", "id")
    )
    page = Paginator(missions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "missions/manage.html", {"page": page})


def _mission_input(form: MissionForm, organisation: Organisation | None) -> services.MissionInput:
    data = form.cleaned_data
    return services.MissionInput(
        title=data["title"],
        description=data["description"],
        zone=Zone.objects.filter(code=data["zone"]).first(),
        category=data["category"],
        organisation=organisation,
        meeting_place=data["meeting_place"],
        required_categories=list(data["required_categories"]),
        requires_extra_check=data["requires_extra_check"],
        minimum_age=data["minimum_age"] if data["minimum_age"] is not None else 0,
        accessibility_notes=data["accessibility_notes"],
        cancel_deadline_hours=data["cancel_deadline_hours"]
        if data["cancel_deadline_hours"] is not None
        else 24,
    )


@login_required(login_url=LOGIN)
def mission_create(request: HttpRequest) -> HttpResponse:
    _gate(request)
    organisations = list(_organisations_for(request))
    form = MissionForm(
        request.POST or None,
        organisations=organisations,
        city=is_coordinator(request.user),
        zones=_zones_for(request),
        initial={"minimum_age": 0, "cancel_deadline_hours": 24},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["organisation"]
        organisation = next((o for o in organisations if str(o.pk) == chosen), None)
        try:
            mission = services.mission_create(
                data=_mission_input(form, organisation),
                actor=request.user,
                audit=audit_context_from(request, purpose="mission"),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request, _("Mission saved as a draft. Add its shifts, then publish it.")
            )
            return redirect("missions:manage_mission", pk=mission.pk)
    return render(request, "missions/mission_form.html", {"form": form, "mission": None})


@login_required(login_url=LOGIN)
def mission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    organisation = mission.organisation
    initial = {
        "organisation": str(mission.organisation_id or ""),
        "zone": mission.zone.code,
        "title": mission.title,
        "description": mission.description,
        "category": mission.category,
        "meeting_place": mission.meeting_place,
        "required_categories": mission.required_categories,
        "requires_extra_check": mission.requires_extra_check,
        "minimum_age": mission.minimum_age,
        "accessibility_notes": mission.accessibility_notes,
        "cancel_deadline_hours": mission.cancel_deadline_hours,
    }
    form = MissionForm(
        request.POST or None,
        organisations=[organisation] if organisation else [],
        city=organisation is None,
        zones=_zones_for(request) | Zone.objects.filter(pk=mission.zone_id),
        initial=initial,
    )
    form.fields["organisation"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.mission_update(
                mission=mission,
                data=_mission_input(form, organisation),
                actor=request.user,
                audit=audit_context_from(request, purpose="mission"),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Mission updated."))
            return redirect("missions:manage_mission", pk=mission.pk)
    return render(request, "missions/mission_form.html", {"form": form, "mission": mission})


def _manage_page(
    request: HttpRequest, mission: Mission, shift_form=None, rule_form=None, status=200
) -> HttpResponse:
    shifts = list(mission.shifts.order_by("starts_at", "id"))
    return render(
        request,
        "missions/manage_mission.html",
        {
            "mission": mission,
            "shifts": shifts,
            "shift_form": shift_form or ShiftForm(prefix="one"),
            "rule_form": rule_form or RuleForm(prefix="rule", initial={"weekdays": []}),
            "category": category_label(mission.category),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required(login_url=LOGIN)
def manage_mission(request: HttpRequest, pk: int) -> HttpResponse:
    return _manage_page(request, _managed(request, pk))


@login_required(login_url=LOGIN)
@require_POST
def mission_move(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    to = request.POST.get("to", "")
    try:
        services.mission_move(
            mission=mission,
            to=to,
            actor=request.user,
            audit=audit_context_from(request, purpose="mission"),
            reason=request.POST.get("reason", "")[:255],
        )
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        done = {
            MissionStatus.PUBLISHED: _("Mission published: volunteers can sign up."),
            MissionStatus.CANCELLED: _("Mission cancelled; the volunteers signed up are told."),
            MissionStatus.CLOSED: _("Mission closed."),
        }
        messages.success(request, done.get(to, _("Saved.")))
    return redirect("missions:manage_mission", pk=mission.pk)


@login_required(login_url=LOGIN)
@require_POST
def shift_add(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    audit = audit_context_from(request, purpose="shifts")
    if request.POST.get("kind") == "rule":
        form = RuleForm(request.POST, prefix="rule")
        if form.is_valid():
            data = form.cleaned_data
            try:
                shifts = services.shifts_add_recurring(
                    mission=mission,
                    rule=services.RuleInput(
                        first_day=data["first_day"],
                        start=data["start"],
                        end=data["end"],
                        places=data["places"],
                        weekdays=list(data["weekdays"]),
                        count=data["count"],
                        until=data["until"],
                    ),
                    actor=request.user,
                    audit=audit,
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("%(n)s shifts added.") % {"n": len(shifts)})
                return redirect("missions:manage_mission", pk=mission.pk)
        return _manage_page(request, mission, rule_form=form, status=400)
    form = ShiftForm(request.POST, prefix="one")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.shift_add(
                mission=mission,
                data=services.ShiftInput(
                    day=data["day"], start=data["start"], end=data["end"], places=data["places"]
                ),
                actor=request.user,
                audit=audit,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Shift added."))
            return redirect("missions:manage_mission", pk=mission.pk)
    return _manage_page(request, mission, shift_form=form, status=400)


@login_required(login_url=LOGIN)
def shift_edit(request: HttpRequest, pk: int) -> HttpResponse:
    shift = _managed_shift(request, pk)
    local_start = timezone.localtime(shift.starts_at)
    form = ShiftForm(
        request.POST or None,
        initial={
            "day": local_start.date(),
            "start": local_start.time(),
            "end": timezone.localtime(shift.ends_at).time(),
            "places": shift.places,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.shift_update(
                shift=shift,
                data=services.ShiftInput(
                    day=data["day"], start=data["start"], end=data["end"], places=data["places"]
                ),
                actor=request.user,
                audit=audit_context_from(request, purpose="shifts"),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Shift updated."))
            return redirect("missions:manage_mission", pk=shift.mission_id)
    return render(request, "missions/shift_form.html", {"form": form, "shift": shift})


@login_required(login_url=LOGIN)
@require_POST
def shift_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    shift = _managed_shift(request, pk)
    try:
        services.shift_cancel(
            shift=shift,
            actor=request.user,
            audit=audit_context_from(request, purpose="shifts"),
            reason=request.POST.get("reason", "")[:255],
        )
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Shift cancelled; the volunteers signed up are told."))
    return redirect("missions:manage_mission", pk=shift.mission_id)


@login_required(login_url=LOGIN)
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    shift = _managed_shift(request, pk)
    if request.method == "POST":
        try:
            signup = services.roster_mark(
                shift=shift,
                signup_id=_int(request.POST.get("signup")),
                action=request.POST.get("action", ""),
                actor=request.user,
                audit=audit_context_from(request, purpose="roster"),
            )
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            done = {
                SignupStatus.CHECKED_IN: _("%(name)s is checked in."),
                SignupStatus.CHECKED_OUT: _(
                    "%(name)s is checked out: %(minutes)s minutes counted."
                ),
                SignupStatus.NO_SHOW: _("%(name)s is marked as absent."),
            }
            messages.success(
                request,
                done[signup.status]
                % {"name": signup.volunteer.first_name, "minutes": signup.minutes or 0},
            )
        return redirect("missions:roster", pk=shift.pk)
    holding, waiting = selectors.roster(shift)
    return render(
        request,
        "missions/roster.html",
        {
            "shift": shift,
            "mission": shift.mission,
            "holding": holding,
            "waiting": waiting,
            "can_mark": shift.status != ShiftStatus.CANCELLED
            and timezone.now() >= shift.starts_at - services.CHECK_IN_OPENS,
        },
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@login_required(login_url=LOGIN)
def fair_load(request: HttpRequest) -> HttpResponse:
    _gate(request)
    busiest, quiet = selectors.fair_load(user=request.user)
    return render(request, "missions/fair_load.html", {"busiest": busiest, "quiet": quiet})
