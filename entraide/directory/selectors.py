"""Reads of the directory: public lists and search, review queues, detected duplicates."""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from entraide.territory.hierarchy import area_chain
from entraide.territory.models import Territory, Zone

from . import search
from .models import (
    CLOSING_SOON_DAYS,
    DuplicateCandidate,
    DuplicateDecision,
    Measure,
    MeasureStateChange,
    MeasureTheme,
    OngoingAction,
    Practice,
)
from .permissions import can_edit_measure, editable_organisations
from .states import MeasureState, PracticeState


def _with_themes(queryset: QuerySet[Measure]) -> QuerySet[Measure]:
    return queryset.select_related("territory", "organisation").prefetch_related(
        Prefetch("themes", queryset=MeasureTheme.objects.order_by("id"))
    )


def still_open_q(today: dt.date) -> Q:
    return Q(deadline__isnull=True) | Q(deadline__gte=today)


def measures_public(
    *,
    text: str = "",
    level: str = "",
    theme: str = "",
    territory: Territory | None = None,
    zone: Zone | None = None,
    still_open: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Measure]:
    """Published measures, filtered; best matches first when ``text`` is given.

    Without a search, ended measures are left out (the public list shows what one can
    still apply for); a search finds them too unless ``still_open`` is asked.
    """
    today = today or timezone.localdate()
    queryset = Measure.objects.filter(state=MeasureState.PUBLISHED)
    if territory is not None:
        queryset = queryset.filter(territory=territory)
    if zone is not None:
        # Its own zones, the whole territory, or a level above the zone (territory.Area).
        above = [area.pk for area in area_chain(zone)]
        queryset = queryset.filter(
            Q(zones=zone) | Q(zones__isnull=True, area__isnull=True) | Q(area_id__in=above)
        ).distinct()
    if level:
        queryset = queryset.filter(level=level)
    if theme:
        queryset = queryset.filter(themes__theme=theme)
    if still_open or not text.strip():
        queryset = queryset.filter(still_open_q(today))
    if text.strip():
        return _with_themes(search.measure_search(queryset, text))
    return _with_themes(queryset.order_by("deadline", "title", "id"))


def measure_visible(*, measure_id: int, user: AbstractBaseUser | AnonymousUser) -> Measure | None:
    """A measure the user may see: published ones for everyone, others for their editors."""
    measure = _with_themes(with_last_move(Measure.objects.filter(pk=measure_id))).first()
    if measure is None:
        return None
    if measure.state == MeasureState.PUBLISHED or can_edit_measure(user, measure):
        return measure
    return None


def with_last_move(queryset: QuerySet[Measure]) -> QuerySet[Measure]:
    """Annotate each measure with its last moderation move (``last_from``, ``last_to``,
    ``last_reason``), so that a partner sees why a coordinator sent a proposal back."""
    last = MeasureStateChange.objects.filter(measure=OuterRef("pk")).order_by("-created_at", "-id")
    return queryset.annotate(
        last_from=Subquery(last.values("from_state")[:1]),
        last_to=Subquery(last.values("to_state")[:1]),
        last_reason=Subquery(last.values("reason")[:1]),
    )


def measures_of_user(*, user: AbstractBaseUser) -> QuerySet[Measure]:
    """The measures a partner created or whose organisation they edit for."""
    organisations = editable_organisations(user)
    ids = Measure.objects.filter(Q(created_by=user) | Q(organisation__in=organisations)).values(
        "pk"
    )
    return _with_themes(
        with_last_move(Measure.objects.filter(pk__in=ids)).order_by("-updated_at", "-id")
    )


def measures_to_review() -> QuerySet[Measure]:
    return _with_themes(
        Measure.objects.filter(state=MeasureState.PENDING_REVIEW).order_by("updated_at", "id")
    )


def practices_public(*, theme: str = "", text: str = "") -> QuerySet[Practice]:
    queryset = Practice.objects.filter(state=PracticeState.PUBLISHED)
    if theme:
        queryset = queryset.filter(theme=theme)
    for word in text.split()[:5]:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(city__icontains=word)
            | Q(country__icontains=word)
        )
    return queryset.order_by("theme", "city", "title", "id")


def practices_to_review() -> QuerySet[Practice]:
    return Practice.objects.filter(state=PracticeState.PENDING_REVIEW).order_by("created_at")


def actions_of_user(*, user: AbstractBaseUser) -> QuerySet[OngoingAction]:
    return (
        OngoingAction.objects.filter(organisation__in=editable_organisations(user))
        .select_related("organisation")
        .prefetch_related("zones")
        .order_by("-start_date", "-id")
    )


def duplicates_open(*, include_decided: bool = False) -> QuerySet[DuplicateCandidate]:
    queryset = DuplicateCandidate.objects.select_related(
        "first__organisation", "second__organisation", "decided_by"
    ).prefetch_related("first__zones", "second__zones")
    if not include_decided:
        queryset = queryset.filter(decision=DuplicateDecision.OPEN)
    return queryset.order_by("-score", "id")


def measures_closing_soon(*, territory: Territory, today: dt.date) -> QuerySet[Measure]:
    return Measure.objects.filter(
        territory=territory,
        state=MeasureState.PUBLISHED,
        deadline__gte=today,
        deadline__lte=today + dt.timedelta(days=CLOSING_SOON_DAYS),
    ).order_by("deadline", "title", "id")
