"""The crisis page: switch the territory into an incident and back, and read its report."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from entraide.platform.audit import audit_context_from
from entraide.platform.forms import add_service_errors
from entraide.territory.models import Incident, IncidentStatus, Territory
from entraide.territory.selectors import territory_current

from . import selectors, services
from .forms import IncidentEndForm, IncidentForm

LOGIN = "people:login"


def _territory_of_coordinator(request: HttpRequest) -> Territory:
    if not services.can_switch_incident(request.user):
        raise PermissionDenied(_("Only a coordinator of the whole territory can do this."))
    territory = territory_current()
    if territory is None:
        raise Http404(_("No territory is set up yet."))
    return territory


def _page(request: HttpRequest, territory: Territory, **forms) -> HttpResponse:
    incidents = selectors.incidents_of(territory=territory)
    active = next((i for i in incidents if i.status == IncidentStatus.ACTIVE), None)
    shown = active
    wanted = request.GET.get("incident", "")
    if wanted.isdigit():
        shown = next((i for i in incidents if i.pk == int(wanted)), active)
    context = {
        "territory": territory,
        "active": active,
        "incidents": incidents,
        "report": selectors.incident_report(incident=shown) if shown else None,
        "start_form": forms.get("start_form") or IncidentForm(),
        "end_form": forms.get("end_form") or IncidentEndForm(),
    }
    return render(request, "crisis/incident.html", context)


def _start_of(day: dt.date | None) -> dt.datetime | None:
    """The local midnight that opens ``day`` (None: the incident starts now)."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@never_cache
@login_required(login_url=LOGIN)
def incident(request: HttpRequest) -> HttpResponse:
    return _page(request, _territory_of_coordinator(request))


@require_POST
@login_required(login_url=LOGIN)
def start(request: HttpRequest) -> HttpResponse:
    territory = _territory_of_coordinator(request)
    form = IncidentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.incident_start(
                territory=territory,
                data=services.IncidentInput(
                    name=data["name"],
                    banner_text=data["banner_text"],
                    hotline_message=data["hotline_message"],
                    categories=tuple(data["categories"]),
                    starts_at=_start_of(data["starts_at"]),
                ),
                by=request.user,
                audit=audit_context_from(request, purpose="crisis mode"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Crisis mode is on: the banner is on the public pages."))
            return redirect("crisis:incident")
    return _page(request, territory, start_form=form)


@require_POST
@login_required(login_url=LOGIN)
def end(request: HttpRequest, pk: int) -> HttpResponse:
    territory = _territory_of_coordinator(request)
    try:
        incident = territory.incidents.get(pk=pk)
    except Incident.DoesNotExist:
        raise Http404 from None
    form = IncidentEndForm(request.POST)
    if form.is_valid():
        try:
            services.incident_end(
                incident=incident,
                by=request.user,
                reason=form.cleaned_data["reason"],
                audit=audit_context_from(request, purpose="crisis mode"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Crisis mode is off: the banner is gone."))
            return redirect(f"{reverse('crisis:incident')}?incident={incident.pk}")
    return _page(request, territory, end_form=form)
