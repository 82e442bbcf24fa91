"""Web side of the interoperability of the directory: a measure's opening hours as
iCalendar (public), the HSDS package download and the imported changes waiting for a
coordinator."""

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from entraide.platform.audit import audit_context_from, audit_record
from entraide.platform.roles import is_coordinator

from ..models import Measure, MeasureProposal, ProposalStatus
from ..states import MeasureState
from . import importer
from .calendar import measure_calendar
from .package import package_write_zip


def _require_coordinator(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied(_("This page is for coordinators."))
    if not is_coordinator(request.user):
        raise PermissionDenied(_("This page is for coordinators."))


@require_GET
def measure_hours_ics(request: HttpRequest, pk: int) -> HttpResponse:
    measure = Measure.objects.filter(pk=pk, state=MeasureState.PUBLISHED).first()
    if measure is None:
        raise Http404(_("There is no such measure."))
    response = HttpResponse(measure_calendar(measure), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mesure-{measure.pk}-horaires.ics"'
    return response


@require_GET
def package_download(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    response = HttpResponse(content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="entraide-hsds-{stamp}.zip"'
    package_write_zip(response)
    audit_record(
        actor=request.user,
        context=audit_context_from(request),
        action="directory.hsds_export",
        subject="hsds.zip",
        purpose="published measures, open data",
    )
    return response


def _words(value) -> str:
    """A content value as a person reads it: lists joined, opening hours as "MO 09:00-12:00"."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(
            f"{item[0]} {item[1]}\u2013{item[2]}" if isinstance(item, list) else str(item)
            for item in value
        )
    return str(value)


@require_GET
def proposals(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    pending = (
        MeasureProposal.objects.filter(status=ProposalStatus.PENDING)
        .select_related("measure")
        .order_by("created_at", "id")
    )
    rows = []
    for proposal in pending:
        current = importer.measure_content(proposal.measure)
        changed = [
            (name, _words(current.get(name)), _words(value))
            for name, value in proposal.content.items()
            if current.get(name) != value
        ]
        rows.append({"proposal": proposal, "changed": changed})
    response = render(request, "directory/hsds_proposals.html", {"rows": rows})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinator(request)
    proposal = get_object_or_404(MeasureProposal, pk=pk)
    apply = request.POST.get("decision") == "apply"
    try:
        assert isinstance(request.user, User)
        importer.proposal_decide(proposal=proposal, actor=request.user, apply=apply)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("interop:proposals")
    if apply:
        messages.success(
            request,
            _("The change is applied: “%(title)s” has a new version and stays published.")
            % {"title": proposal.measure.title},
        )
    else:
        messages.success(request, _("The proposed change is dismissed; the measure is unchanged."))
    return redirect("interop:proposals")
