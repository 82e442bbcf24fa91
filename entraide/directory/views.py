"""Web pages of the directory: thin views over the services and selectors."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from entraide.platform.audit import audit_context_from
from entraide.platform.forms import add_service_errors
from entraide.platform.roles import is_coordinator
from entraide.territory.selectors import territory_current, zone_list

from . import bulletins, selectors, services
from .forms import (
    ActionForm,
    MeasureFilterForm,
    MeasureForm,
    PracticeFilterForm,
    PracticeForm,
    SubscriptionForm,
)
from .models import Bulletin, DuplicateCandidate, Measure, Practice
from .permissions import can_edit_measure, editable_organisations, is_partner, reviewer_kind
from .states import (
    MEASURE_TRANSITIONS,
    PRACTICE_TRANSITIONS,
    MeasureState,
    PracticeState,
    allowed_targets,
)

# What a person is told after each moderation move.
MOVE_DONE: dict[str, str | Promise] = {
    MeasureState.PENDING_REVIEW: gettext_lazy(
        "The measure is sent for review. A coordinator will read it before it is public."
    ),
    MeasureState.PUBLISHED: gettext_lazy("The measure is published: everyone can find it."),
    MeasureState.DRAFT: gettext_lazy("The measure is back to draft."),
    MeasureState.ARCHIVED: gettext_lazy("The measure is archived: it is no longer public."),
}


def _page(request: HttpRequest, items):
    page = Paginator(items, settings.ENTRAIDE_BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _require_partner(request: HttpRequest) -> None:
    if reviewer_kind(request.user) is None:
        raise PermissionDenied(_("This page is for partners and coordinators."))


def _require_coordinator(request: HttpRequest) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied(_("This page is for coordinators."))


def measure_list(request: HttpRequest) -> HttpResponse:
    territory = territory_current()
    zones = list(zone_list(territory=territory)) if territory else []
    filters = MeasureFilterForm(request.GET or None, zones=zones)
    values = filters.cleaned_data if filters.is_valid() else {}
    zone = next((z for z in zones if z.code == values.get("zone")), None)
    text = values.get("q", "")
    measures = selectors.measures_public(
        text=text,
        level=values.get("level", ""),
        theme=values.get("theme", ""),
        zone=zone,
        still_open=values.get("open", False),
    )
    page, query = _page(request, measures)
    return render(
        request,
        "directory/measure_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query,
            "searching": bool(text),
            "filtered": any(values.values()),
            "today": timezone.localdate(),
            "can_propose": reviewer_kind(request.user) is not None,
        },
    )


def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_visible(measure_id=pk, user=request.user)
    if measure is None:
        raise Http404(_("There is no such measure."))
    editable = can_edit_measure(request.user, measure)
    kind = reviewer_kind(request.user)
    return render(
        request,
        "directory/measure_detail.html",
        {
            "measure": measure,
            "status": measure.status_on(timezone.localdate()),
            "editable": editable,
            "moves": allowed_targets(MEASURE_TRANSITIONS, measure.state, kind) if editable else [],
            "versions": measure.versions.select_related("author") if editable else [],
        },
    )


def _measure_form(request: HttpRequest, measure: Measure | None) -> MeasureForm:
    territory = territory_current()
    initial = {"language": get_language()}
    if measure is not None:
        initial = {
            **{
                name: getattr(measure, name)
                for name in (
                    "title",
                    "summary",
                    "level",
                    "eligibility",
                    "benefits",
                    "how_to_apply",
                    "deadline",
                    "source_url",
                    "language",
                )
            },
            "themes": measure.theme_codes,
            "languages": ", ".join(measure.languages),
            "zones": [zone.code for zone in measure.zones.all()],
            "organisation": measure.organisation_id,
        }
    return MeasureForm(
        request.POST or None,
        initial=initial,
        zones=zone_list(territory=territory) if territory else [],
        organisations=editable_organisations(request.user),
    )


def _measure_form_checked(form: MeasureForm, territory, previous_deadline=None) -> bool:
    """Every mistake of a posted measure form at once: what the form cannot read, then
    the service's rules on the rest, put on the form. True when there is none."""
    valid = form.is_valid()
    try:
        services.measure_check(
            territory=territory,
            data=form.to_input(),
            already_wrong=form.errors,
            previous_deadline=previous_deadline,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
    return valid and not form.errors


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest) -> HttpResponse:
    _require_partner(request)
    territory = territory_current()
    if territory is None:
        raise Http404(_("No territory is set up yet."))
    form = _measure_form(request, None)
    if request.method == "POST" and _measure_form_checked(form, territory):
        try:
            measure = services.measure_create(
                territory=territory,
                data=form.to_input(),
                actor=request.user,
                organisation=form.chosen_organisation(),
                submit="submit" in request.POST,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if measure.state == MeasureState.PENDING_REVIEW:
                messages.success(request, MOVE_DONE[MeasureState.PENDING_REVIEW])
                return redirect("directory:my_measures")
            messages.success(request, _("The measure is saved as a draft."))
            return redirect("directory:measure", pk=measure.pk)
    return render(request, "directory/measure_form.html", {"form": form, "measure": None})


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(Measure, pk=pk)
    if not can_edit_measure(request.user, measure):
        raise PermissionDenied(_("You cannot edit this measure."))
    form = _measure_form(request, measure)
    if request.method == "POST" and _measure_form_checked(
        form, measure.territory, previous_deadline=measure.deadline
    ):
        try:
            services.measure_update(
                measure=measure,
                data=form.to_input(),
                actor=request.user,
                note=request.POST.get("note", "")[:255],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("A new version of the measure is saved."))
            return redirect("directory:measure", pk=measure.pk)
    return render(request, "directory/measure_form.html", {"form": form, "measure": measure})


@login_required
@require_POST
def measure_move(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(Measure, pk=pk)
    try:
        services.measure_transition(
            measure=measure,
            to_state=request.POST.get("to", ""),
            actor=request.user,
            reason=request.POST.get("reason", "")[:255],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("directory:measure", pk=measure.pk)
    moved = MOVE_DONE.get(request.POST.get("to", ""), _("The measure's state is changed."))
    messages.success(request, str(moved))
    return redirect("directory:measure", pk=measure.pk)


@login_required
def my_measures(request: HttpRequest) -> HttpResponse:
    _require_partner(request)
    page, query = _page(request, selectors.measures_of_user(user=request.user))
    return render(request, "directory/my_measures.html", {"page": page, "query": query})


@login_required
def review(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    territory = territory_current()
    return render(
        request,
        "directory/review.html",
        {
            "measures": selectors.measures_to_review(),
            "practices": selectors.practices_to_review(),
            "draft": bulletins.draft_of(territory) if territory else None,
        },
    )


def practice_list(request: HttpRequest) -> HttpResponse:
    filters = PracticeFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    practices = selectors.practices_public(theme=values.get("theme", ""), text=values.get("q", ""))
    page, query = _page(request, practices)
    return render(
        request,
        "directory/practice_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query,
            "filtered": any(values.values()),
            "can_propose": reviewer_kind(request.user) is not None,
        },
    )


def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(Practice, pk=pk)
    coordinator = is_coordinator(request.user)
    if practice.state != PracticeState.PUBLISHED and not coordinator:
        raise Http404(_("There is no such practice."))
    moves = allowed_targets(PRACTICE_TRANSITIONS, practice.state, "coordinator")
    return render(
        request,
        "directory/practice_detail.html",
        {"practice": practice, "moves": moves if coordinator else []},
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_propose(request: HttpRequest) -> HttpResponse:
    _require_partner(request)
    form = PracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_propose(data=form.to_input(), actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you! A coordinator will review this practice."))
            return redirect("directory:practices")
    return render(request, "directory/practice_form.html", {"form": form})


@login_required
@require_POST
def practice_move(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(Practice, pk=pk)
    try:
        services.practice_transition(
            practice=practice, to_state=request.POST.get("to", ""), actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The practice's state is changed."))
    return redirect("directory:practice", pk=practice.pk)


def bulletin_list(request: HttpRequest) -> HttpResponse:
    page, query = _page(request, bulletins.published_bulletins().select_related("territory"))
    return render(
        request,
        "directory/bulletin_list.html",
        {
            "page": page,
            "query": query,
            "can_subscribe": is_partner(request.user) or is_coordinator(request.user),
            "coordinator": is_coordinator(request.user),
        },
    )


def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_object_or_404(bulletins.published_bulletins().select_related("territory"), pk=pk)
    return render(request, "directory/bulletin_detail.html", bulletins.display_context(bulletin))


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_preview(request: HttpRequest) -> HttpResponse:
    """The coordinator's look at the draft bulletin: bring it up to date, then publish it."""
    _require_coordinator(request)
    territory = territory_current()
    if territory is None:
        raise Http404(_("No territory is set up yet."))
    if request.method == "POST":
        return _bulletin_action(request, territory)
    draft = bulletins.draft_of(territory)
    context: dict[str, object] = {
        "draft": draft,
        "subscribers": territory.bulletin_subscriptions.filter(active=True).count(),
    }
    if draft is not None:
        context.update(bulletins.display_context(draft))
        context["rendered"] = bulletins.bulletin_render(draft, language=get_language())
    return render(request, "directory/bulletin_preview.html", context)


def _bulletin_action(request: HttpRequest, territory) -> HttpResponse:
    if request.POST.get("action") != "publish":
        bulletins.bulletin_draft_compose(territory=territory, actor=request.user)
        messages.success(request, _("The draft is up to date. Read it before publishing it."))
        return redirect("directory:bulletin_preview")
    draft = get_object_or_404(Bulletin, pk=request.POST.get("bulletin"), territory=territory)
    try:
        bulletin = bulletins.bulletin_publish(
            bulletin=draft, actor=request.user, audit=audit_context_from(request)
        )
    except ValidationError:
        messages.error(request, _("This bulletin is already published."))
        return redirect("directory:bulletin", pk=draft.pk)
    messages.success(request, _("The bulletin is published and being sent to subscribers."))
    return redirect("directory:bulletin", pk=bulletin.pk)


@login_required
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    _require_partner(request)
    territory = territory_current()
    if territory is None:
        raise Http404(_("No territory is set up yet."))
    form = SubscriptionForm(
        request.POST or None,
        initial={"email": request.user.email, "language": get_language()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_create(
                territory=territory,
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("You are subscribed to the weekly bulletin."))
            return redirect("directory:bulletins")
    return render(request, "directory/subscribe.html", {"form": form})


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = bulletins.subscription_from_token(token)
    if subscription is None:
        return render(request, "directory/unsubscribe.html", {"invalid": True}, status=404)
    done = not subscription.active
    if request.method == "POST":
        services.subscription_cancel(subscription=subscription)
        done = True
    return render(
        request, "directory/unsubscribe.html", {"done": done, "subscription": subscription}
    )


@login_required
@require_http_methods(["GET", "POST"])
def actions(request: HttpRequest) -> HttpResponse:
    _require_partner(request)
    territory = territory_current()
    organisations = list(editable_organisations(request.user))
    form = ActionForm(
        request.POST or None,
        zones=zone_list(territory=territory) if territory else [],
        organisations=organisations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ongoing_action_declare(
                organisation=form.chosen_organisation(), data=form.to_input(), actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your action is declared."))
            return redirect("directory:actions")
    page, query = _page(request, selectors.actions_of_user(user=request.user))
    return render(
        request,
        "directory/actions.html",
        {"form": form, "page": page, "query": query, "organisations": organisations},
    )


@login_required
@require_http_methods(["GET", "POST"])
def duplicate_list(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    if request.method == "POST":
        candidate = get_object_or_404(DuplicateCandidate, pk=request.POST.get("candidate"))
        try:
            services.duplicate_decide(
                candidate=candidate, decision=request.POST.get("decision", ""), actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your decision is recorded."))
        return redirect("directory:duplicates")
    page, query = _page(request, selectors.duplicates_open())
    return render(request, "directory/duplicates.html", {"page": page, "query": query})
