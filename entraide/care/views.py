"""Pages of the programme: a volunteer's calls, coordinators' people, partners' reports.

Thin: parse, call a service or an access function, render. Someone else's call or report
is a 404, so its existence is not revealed either.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entraide.needs.categories import category_label
from entraide.platform.audit import audit_context_from
from entraide.platform.models import Role
from entraide.platform.roles import coordinated_zone_ids, has_role_anywhere, is_coordinator
from entraide.territory.models import Zone

from .access import (
    access_courtesy_person,
    access_escalation,
    escalation_get,
    escalations_listed,
)
from .bridge import bridging_configured
from .escalations import (
    call_escalation_progress,
    escalation_acknowledge,
    escalation_close,
    escalation_progress,
)
from .forms import CallLogForm, EnrolmentForm, EscalationCloseForm
from .models import (
    CallLog,
    CarePerson,
    CourtesyCall,
    Escalation,
    LeaveMethod,
    PersonStatus,
)
from .services import (
    LogInput,
    call_is_loggable,
    call_log_write,
    care_person_enrol,
    care_person_enrol_check,
    care_person_leave,
    courtesy_call_bridge,
    courtesy_calls_schedule,
    courtesy_request_create,
)

LOGIN = "people:login"
PAGE_SIZE = 50


# Service fields shown on the form under another name (the slots are picked in rows).
FORM_FIELD_OF = {"call_slots": "slot_day_1"}


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = FORM_FIELD_OF.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _own_call(request: HttpRequest, pk: int) -> CourtesyCall:
    return get_object_or_404(
        CourtesyCall.objects.select_related("person__zone", "volunteer"),
        pk=pk,
        volunteer__user=request.user,
    )


@login_required(login_url=LOGIN)
def my_calls(request: HttpRequest) -> HttpResponse:
    """Only the user's own calls, by time and reference: names wait for the call's page."""
    calls = CourtesyCall.objects.filter(volunteer__user=request.user).select_related("person")
    since = timezone.now() - timezone.timedelta(days=7)
    calls = list(calls.filter(scheduled_for__gte=since))
    reports = Escalation.objects.filter(courtesy_call__in=calls).select_related("partner")
    progress = {e.courtesy_call_id: escalation_progress(e) for e in reports}
    rows = [(call, progress.get(call.pk, "")) for call in calls]
    return render(request, "care/my_calls.html", {"rows": rows})


@login_required(login_url=LOGIN)
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = _own_call(request, pk)
    form = CallLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            log = call_log_write(
                call=call,
                user=request.user,
                data=LogInput(**form.cleaned_data),
                audit=audit_context_from(request),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if log is None:
                messages.success(request, _("Noted: the person did not answer."))
            else:
                messages.success(request, _("Thank you, your note is saved."))
            return redirect("care:call", pk=call.pk)
    person = None
    try:
        person = access_courtesy_person(
            user=request.user,
            call=call,
            purpose="courtesy call",
            audit=audit_context_from(request, purpose="courtesy call"),
        )
    except PermissionDenied:
        person = None
    log = CallLog.objects.filter(call=call).first()
    context = {
        "call": call,
        "person": person,
        "form": form,
        "log": log,
        "needs": [(code, category_label(code)) for code in (log.needs if log else [])],
        "loggable": call_is_loggable(call),
        "bridging": bridging_configured() and bool(call.volunteer.phone),
        "escalation_progress": call_escalation_progress(call) if log and log.distress else "",
    }
    return render(request, "care/call.html", context)


@require_POST
@login_required(login_url=LOGIN)
def call_bridge(request: HttpRequest, pk: int) -> HttpResponse:
    call = _own_call(request, pk)
    try:
        courtesy_call_bridge(call=call, user=request.user, audit=audit_context_from(request))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your phone will ring: pick up, then we call the person."))
    return redirect("care:call", pk=call.pk)


@require_POST
@login_required(login_url=LOGIN)
def call_request(request: HttpRequest, pk: int) -> HttpResponse:
    call = _own_call(request, pk)
    try:
        created = courtesy_request_create(
            call=call,
            user=request.user,
            category=request.POST.get("category", ""),
            audit=audit_context_from(request, purpose=call.reference),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Request %(reference)s created.") % {"reference": created.entry.reference}
        )
    return redirect("care:call", pk=call.pk)


def _coordinator_only(request: HttpRequest) -> None:
    if not is_coordinator(request.user):
        raise Http404


@login_required(login_url=LOGIN)
def people(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    zone_ids = coordinated_zone_ids(request.user)
    listed = CarePerson.objects.select_related("zone").filter(status=PersonStatus.ACTIVE)
    if zone_ids is not None:
        listed = listed.filter(zone_id__in=zone_ids)
    unassigned = CourtesyCall.objects.filter(
        person__in=listed,
        volunteer__isnull=True,
        status="scheduled",
        scheduled_for__gte=timezone.now(),
    ).count()
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "care/people.html", {"people": page, "page": page, "unassigned": unassigned}
    )


@login_required(login_url=LOGIN)
def person_new(request: HttpRequest) -> HttpResponse:
    _coordinator_only(request)
    form = EnrolmentForm(request.POST or None)
    zones = Zone.objects.order_by("code")
    zone_ids = coordinated_zone_ids(request.user)
    if zone_ids is not None:
        zones = zones.filter(pk__in=zone_ids)
    if request.method == "POST":
        person = _enrolled(request, form, zones.filter(code=request.POST.get("zone", "")).first())
        if person is not None:
            planned = courtesy_calls_schedule()
            messages.success(
                request,
                _("Enrolled. The calls of the coming days are planned (%(count)s assigned).")
                % {"count": planned},
            )
            return redirect("care:person", pk=person.pk)
    return render(request, "care/person_new.html", {"form": form, "zones": zones})


def _enrolled(request: HttpRequest, form: EnrolmentForm, zone: Zone | None) -> CarePerson | None:
    """Every mistake at once — what the form cannot read, the zone, the service's rules on
    the rest — or the person enrolled."""
    valid = form.is_valid()
    if zone is None:
        form.add_error(None, _("Choose a zone."))
    try:
        care_person_enrol_check(data=form.to_input(), already_wrong=form.wrong_fields())
    except ValidationError as exc:
        _add_errors(form, exc)
    if not valid or form.errors:
        return None
    data = form.to_input()
    try:
        return care_person_enrol(
            zone=zone,
            data=data,
            actor=request.user,
            audit=audit_context_from(request, purpose=data.consent_purpose),
        )
    except ValidationError as exc:
        _add_errors(form, exc)
        return None


@login_required(login_url=LOGIN)
def person(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinator_only(request)
    subject = get_object_or_404(CarePerson.objects.select_related("zone"), pk=pk)
    if request.method == "POST":
        if not is_coordinator(request.user, zone=subject.zone):
            raise Http404
        care_person_leave(
            person=subject,
            method=LeaveMethod.COORDINATOR,
            actor=request.user,
            audit=audit_context_from(request, purpose=LeaveMethod.COORDINATOR),
        )
        messages.success(request, _("The person has left the programme."))
        return redirect("care:people")
    try:
        details = access_courtesy_person(
            user=request.user,
            person=subject,
            purpose="coordination",
            audit=audit_context_from(request, purpose="coordination"),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    calls = subject.calls.select_related("volunteer").order_by("-scheduled_for")[:20]
    reports = Escalation.objects.filter(courtesy_call__person=subject).select_related(
        "courtesy_call"
    )
    context = {"subject": subject, "details": details, "calls": calls, "reports": reports}
    return render(request, "care/person.html", context)


@login_required(login_url=LOGIN)
def escalations(request: HttpRequest) -> HttpResponse:
    if not (is_coordinator(request.user) or has_role_anywhere(request.user, Role.PARTNER)):
        raise Http404
    listed = escalations_listed(user=request.user, audit=audit_context_from(request))
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "care/escalations.html", {"escalations": page, "page": page})


@login_required(login_url=LOGIN)
def escalation(request: HttpRequest, pk: int) -> HttpResponse:
    """Read, acknowledge and close one report; someone else's is a 404 (the refusal is
    audited)."""
    action = request.POST.get("action", "acknowledge")
    purpose = action if request.method == "POST" else "handle report"
    audit = audit_context_from(request, purpose=purpose)
    subject = escalation_get(user=request.user, pk=pk, purpose=purpose, audit=audit)
    if subject is None:
        raise Http404
    close_form = EscalationCloseForm(request.POST if action == "close" else None)
    if request.method == "POST" and action != "close":
        escalation_acknowledge(
            escalation=subject, user=request.user, audit=audit_context_from(request)
        )
        messages.success(request, _("Acknowledged: the other contacts will not be alerted."))
        return redirect("care:escalation", pk=subject.pk)
    if request.method == "POST" and close_form.is_valid():
        try:
            escalation_close(
                escalation=subject,
                user=request.user,
                outcome=close_form.cleaned_data["outcome"],
                note=close_form.cleaned_data["note"],
                audit=audit_context_from(request),
            )
        except ValidationError as exc:
            _add_errors(close_form, exc)
        else:
            messages.success(
                request, _("Closed: the volunteer and the coordination are told the outcome.")
            )
            return redirect("care:escalation", pk=subject.pk)
    details = access_escalation(user=request.user, escalation=subject, purpose=purpose, audit=audit)
    alerts = subject.alerts.select_related("message")
    context = {"escalation": subject, "details": details, "alerts": alerts, "form": close_form}
    return render(request, "care/escalation.html", context)
