"""A volunteer's hours page (adjust, certificate), the coordinators' page of hours to
confirm, and the public verification of a certificate. Thin views over the services."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from entraide.people.models import Volunteer
from entraide.platform.audit import audit_context_from
from entraide.platform.roles import coordinated_zone_ids, is_coordinator

from . import selectors, services
from .certificate import certificate_pdf, hours_label
from .models import Certificate, HoursEntry


def _volunteer_or_404(request: HttpRequest) -> Volunteer:
    try:
        return request.user.volunteer
    except Volunteer.DoesNotExist:
        raise Http404(_("This page is for volunteers.")) from None


def _date_or_text(value: str) -> object:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@never_cache
@login_required(login_url="people:login")
def hours(
    request: HttpRequest,
    errors: dict | None = None,
    form_values: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    volunteer = _volunteer_or_404(request)
    page = Paginator(
        selectors.volunteer_entries(volunteer=volunteer), selectors.HISTORY_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "recognition/hours.html",
        {
            "volunteer": volunteer,
            "page": page,
            "totals": selectors.volunteer_totals(volunteer=volunteer),
            "certificates": selectors.volunteer_certificates(volunteer=volunteer)[:10],
            "errors": errors or {},
            "values": form_values
            or {
                "period_start": today.replace(month=1, day=1).isoformat(),
                "period_end": today.isoformat(),
            },
        },
        status=status,
    )


@require_POST
@login_required(login_url="people:login")
def hours_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = _volunteer_or_404(request)
    entry = get_object_or_404(HoursEntry, pk=pk, volunteer=volunteer)
    try:
        services.hours_adjust(
            entry=entry,
            volunteer=volunteer,
            minutes=services.parse_minutes(request.POST.get("minutes", "")),
            audit=audit_context_from(request, purpose="volunteer adjusts hours"),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your time is updated. A coordinator will confirm it."))
    return redirect("recognition:hours")


@require_POST
@login_required(login_url="people:login")
def certificate_issue(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer_or_404(request)
    values = {
        "period_start": request.POST.get("period_start", ""),
        "period_end": request.POST.get("period_end", ""),
    }
    try:
        certificate, code = services.certificate_issue(
            volunteer=volunteer,
            period_start=_date_or_text(values["period_start"]),
            period_end=_date_or_text(values["period_end"]),
            audit=audit_context_from(request, purpose="certificate of volunteering"),
        )
    except ValidationError as exc:
        errors = {
            field: [str(m) for m in messages_] for field, messages_ in exc.message_dict.items()
        }
        return hours(request, errors=errors, form_values=values, status=400)
    holder = volunteer.user.get_full_name() or volunteer.first_name
    pdf = certificate_pdf(
        certificate=certificate,
        code=code,
        holder=holder,
        organisations=selectors.certificate_organisations(certificate=certificate),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"attestation-benevolat-{certificate.period_start}-{certificate.period_end}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required(login_url="people:login")
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = _volunteer_or_404(request)
    certificate = get_object_or_404(Certificate, pk=pk, volunteer=volunteer)
    services.certificate_revoke(
        certificate=certificate,
        user=request.user,
        reason=_("revoked by its holder"),
        audit=audit_context_from(request, purpose="certificate of volunteering"),
    )
    messages.success(request, _("The certificate is revoked: its verification page now says so."))
    return redirect("recognition:hours")


@never_cache
@login_required
def to_confirm(request: HttpRequest) -> HttpResponse:
    """Hours waiting for a coordinator of the user's zones, oldest first."""
    if not is_coordinator(request.user):
        raise PermissionDenied(_("This page is for coordinators."))
    zone_ids = coordinated_zone_ids(request.user)
    entries = selectors.hours_to_confirm(zone_ids=list(zone_ids) if zone_ids is not None else None)
    page = Paginator(entries, selectors.TO_CONFIRM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recognition/to_confirm.html", {"page": page})


@require_POST
@login_required
def decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("confirm", "reject"):
        raise Http404
    if not is_coordinator(request.user):
        raise PermissionDenied(_("This page is for coordinators."))
    entry = get_object_or_404(HoursEntry.objects.select_related("volunteer__zone", "zone"), pk=pk)
    minutes = request.POST.get("minutes", "").strip()
    try:
        services.hours_decide(
            entry=entry,
            user=request.user,
            confirm=action == "confirm",
            minutes=services.parse_minutes(minutes) if minutes else None,
            audit=audit_context_from(request, purpose="hours decision"),
        )
    except PermissionDenied:
        raise Http404(_("There are no such hours in your zones.")) from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if action == "confirm":
            messages.success(
                request, _("Hours confirmed: they now count on the volunteer's certificate.")
            )
        else:
            messages.success(request, _("Hours rejected: they will not count."))
    return redirect("recognition:to_confirm")


def verify(request: HttpRequest) -> HttpResponse:
    """The public verification form: a code typed in goes to its page."""
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("recognition:verify_code", code=services.normalise_code(code)[:40] or "-")
    return render(request, "recognition/verify.html", {"check": None, "code": ""})


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """Whether a certificate with this code exists: its period, total and date, never the
    person. Unknown codes get a 404 with the same page."""
    check = selectors.certificate_check(code=code)
    response = render(
        request,
        "recognition/verify.html",
        {
            "check": check,
            "code": services.normalise_code(code)[:40],
            "hours": hours_label(check.total_minutes),
        },
        status=200 if check.found else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
