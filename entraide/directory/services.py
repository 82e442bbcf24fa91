"""Writes of the directory: measures and their moderation, practices, ongoing actions and
their possible duplicates, bulletin subscriptions.

Validation lives here: each service raises ``ValidationError`` (field → errors, each
with a code and a translated message) and stores nothing when it does, or
``PermissionDenied`` when the actor may not do it.
"""

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.people.models import Organisation
from entraide.platform.roles import is_coordinator
from entraide.platform.transitions import Lifecycle
from entraide.platform.validation import ErrorCollector
from entraide.territory.models import Territory, Zone

from . import duplicates, search
from .models import (
    DuplicateCandidate,
    DuplicateDecision,
    Level,
    Measure,
    MeasureStateChange,
    MeasureTheme,
    MeasureVersion,
    OngoingAction,
    Practice,
    PracticeTheme,
    Subscription,
    Theme,
)
from .permissions import can_edit_measure, editable_organisations, reviewer_kind
from .states import (
    MEASURE_LIFECYCLE,
    PRACTICE_LIFECYCLE,
    MeasureState,
    PracticeState,
    Reviewer,
)

TITLE_MIN = 5
TITLE_MAX = 200
TEXT_MAX = 4000
LINKS_MAX = 5
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_validate_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class MeasureInput:
    title: str
    summary: str
    level: str
    eligibility: str
    benefits: str
    how_to_apply: str
    source_url: str
    themes: tuple[str, ...]
    deadline: dt.date | None = None
    languages: tuple[str, ...] = ("fr",)
    language: str = "fr"
    zones: tuple[Zone, ...] = ()


@dataclass(frozen=True)
class PracticeInput:
    title: str
    city: str
    country: str
    theme: str
    description: str
    source: str
    lessons: str = ""
    links: tuple[str, ...] = ()
    contact_organisation: str = ""


@dataclass(frozen=True)
class ActionInput:
    title: str
    theme: str
    audience: str
    start_date: dt.date
    end_date: dt.date
    zones: tuple[Zone, ...]
    description: str = ""


def _text(
    errors: ErrorCollector, name: str, value: str, *, required=True, minimum=1, maximum=TEXT_MAX
):
    value = (value or "").strip()
    if not value:
        if required:
            errors.add(name, _("This field is required."), "required")
        return value
    if len(value) < minimum:
        errors.add(name, _("Please write at least %(min)d characters."), "too_short", min=minimum)
    if len(value) > maximum:
        errors.add(
            name,
            _("Please keep it under %(max)d characters (it has %(length)d)."),
            "too_long",
            max=maximum,
            length=len(value),
        )
    return value


def _link(errors: ErrorCollector, name: str, value: str, *, required: bool) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            errors.add(
                name,
                _("Give the link to the official source, so that people can check it."),
                "missing_source",
            )
        return value
    try:
        _validate_url(value)
    except ValidationError:
        errors.add(
            name,
            _(
                "“%(value)s” is not a web address. Copy it from your browser's address bar, "
                "for example www.example.org/aide."
            ),
            "invalid_link",
            value=value[:80],
        )
    return value


def _not_past(errors: ErrorCollector, name: str, value: dt.date | None, today: dt.date) -> None:
    if value and value < today:
        errors.add(name, _("This date is already past."), "date_in_past")


def _clean_measure(
    data: MeasureInput, *, territory: Territory, today: dt.date, previous_deadline=None
) -> MeasureInput:
    errors = ErrorCollector()
    title = _text(errors, "title", data.title, minimum=TITLE_MIN, maximum=TITLE_MAX)
    summary = _text(errors, "summary", data.summary, minimum=TITLE_MIN)
    eligibility = _text(errors, "eligibility", data.eligibility)
    benefits = _text(errors, "benefits", data.benefits)
    how_to_apply = _text(errors, "how_to_apply", data.how_to_apply)
    source_url = _link(errors, "source_url", data.source_url, required=True)
    if data.level not in Level.values:
        errors.add("level", _("Choose the level of government or body."), "unknown_level")
    themes = tuple(dict.fromkeys(data.themes))
    if not themes:
        errors.add("themes", _("Choose at least one theme."), "required")
    for code in themes:
        if code not in Theme.values:
            errors.add("themes", _("“%(value)s” is not a theme."), "unknown_theme", value=code)
    if data.deadline != previous_deadline:
        _not_past(errors, "deadline", data.deadline, today)
    languages = tuple(dict.fromkeys(code.strip().lower() for code in data.languages if code))
    if any(not _LANGUAGE_CODE.match(code) for code in languages):
        errors.add("languages", _("Use language codes such as fr, en, es."), "invalid_language")
    if data.language not in dict(settings.LANGUAGES):
        errors.add("language", _("Choose the language it is written in."), "unknown_language")
    if any(zone.territory_id != territory.pk for zone in data.zones):
        errors.add("zones", _("Choose zones of this territory."), "foreign_zone")
    errors.raise_if_any()
    return replace(
        data,
        title=title,
        summary=summary,
        eligibility=eligibility,
        benefits=benefits,
        how_to_apply=how_to_apply,
        source_url=source_url,
        themes=themes,
        languages=languages,
    )


def measure_check(
    *,
    territory: Territory,
    data: MeasureInput,
    already_wrong: Collection[str] = (),
    previous_deadline: dt.date | None = None,
) -> None:
    """Raise ValidationError with every rule ``data`` breaks, leaving out the fields in
    ``already_wrong`` (a form could not read them): a form shows all mistakes at once."""
    try:
        _clean_measure(
            data,
            territory=territory,
            today=timezone.localdate(),
            previous_deadline=previous_deadline,
        )
    except ValidationError as exc:
        left = {
            name: errors for name, errors in exc.error_dict.items() if name not in already_wrong
        }
        if left:
            raise ValidationError(left) from exc


def _snapshot(measure: Measure, data: MeasureInput) -> dict:
    return {
        "title": data.title,
        "summary": data.summary,
        "level": data.level,
        "eligibility": data.eligibility,
        "benefits": data.benefits,
        "how_to_apply": data.how_to_apply,
        "deadline": data.deadline.isoformat() if data.deadline else None,
        "source_url": data.source_url,
        "themes": list(data.themes),
        "languages": list(data.languages),
        "language": data.language,
        "zones": [zone.code for zone in data.zones],
        "organisation": measure.organisation_id,
    }


def _apply(measure: Measure, data: MeasureInput) -> None:
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
    ):
        setattr(measure, name, getattr(data, name))
    measure.languages = list(data.languages)


def _save_content(measure: Measure, data: MeasureInput, actor, note: str) -> None:
    measure.themes.all().delete()
    MeasureTheme.objects.bulk_create([MeasureTheme(measure=measure, theme=t) for t in data.themes])
    measure.zones.set(data.zones)
    MeasureVersion.objects.create(
        measure=measure,
        number=measure.version,
        content=_snapshot(measure, data),
        state=measure.state,
        author=actor,
        note=note[:255],
    )
    search.measure_index(measure)


@transaction.atomic
def measure_create(
    *,
    territory: Territory,
    data: MeasureInput,
    actor: User,
    organisation: Organisation | None = None,
    submit: bool = False,
) -> Measure:
    """Record a new measure as a draft (or straight for review when ``submit``).

    Raise PermissionDenied unless the actor is a partner or a coordinator and may act for
    ``organisation``; ValidationError (field → errors) when the input is not valid.
    """
    if reviewer_kind(actor) is None:
        raise PermissionDenied(_("Only partners and coordinators can propose measures."))
    if organisation and not editable_organisations(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("You cannot propose measures for this organisation."))
    data = _clean_measure(data, territory=territory, today=timezone.localdate())
    measure = Measure(territory=territory, organisation=organisation, created_by=actor)
    _apply(measure, data)
    measure.content_changed_at = timezone.now()
    measure.save()
    MeasureStateChange.objects.create(
        measure=measure, to_state=MeasureState.DRAFT, actor=actor, reason="created"
    )
    _save_content(measure, data, actor, note="created")
    if submit:
        return measure_transition(
            measure=measure, to_state=MeasureState.PENDING_REVIEW, actor=actor
        )
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, data: MeasureInput, actor: User, note: str = "") -> Measure:
    """Save a new version of a measure; the previous ones are kept.

    A partner's change to a published measure sends it back for review. Raise
    PermissionDenied when the actor may not edit it, ValidationError when not valid.
    """
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    if not can_edit_measure(actor, locked):
        raise PermissionDenied(_("You cannot edit this measure."))
    data = _clean_measure(
        data,
        territory=locked.territory,
        today=timezone.localdate(),
        previous_deadline=locked.deadline,
    )
    _apply(locked, data)
    locked.version += 1
    locked.content_changed_at = timezone.now()
    locked.save()
    _save_content(locked, data, actor, note=note)
    if locked.state == MeasureState.PUBLISHED and reviewer_kind(actor) != Reviewer.COORDINATOR:
        return measure_transition(
            measure=locked,
            to_state=MeasureState.PENDING_REVIEW,
            actor=actor,
            reason="changed by a partner",
        )
    return locked


def _check_move(lifecycle: Lifecycle, current: str, target: str, reviewer: str | None) -> None:
    """Raise ValidationError for a move the cycle does not have, then PermissionDenied
    when this kind of reviewer may not make it."""
    lifecycle.check(current, target)
    if reviewer not in lifecycle.moves[current][target]:  # type: ignore[index]
        raise PermissionDenied(_("Only a coordinator can do this."))


def _first_publication(
    entry: Measure | Practice, to_state: str, published: str
) -> dict[str, object]:
    """The first publication is dated; a later one keeps that date."""
    if to_state == published and entry.published_at is None:
        return {"published_at": timezone.now()}
    return {}


def _sent_back(measure: Measure, to_state: str, actor: User, reviewer: str | None) -> bool:
    """A coordinator returns someone else's proposal to its author: they must say why."""
    return (
        reviewer == Reviewer.COORDINATOR
        and measure.state == MeasureState.PENDING_REVIEW
        and to_state == MeasureState.DRAFT
        and measure.created_by_id != actor.pk
    )


@transaction.atomic
def measure_transition(
    *, measure: Measure, to_state: str, actor: User, reason: str = ""
) -> Measure:
    """Move a measure along its moderation cycle, recording who, when and why.

    Raise ValidationError(code="invalid_transition") for a move the cycle does not have,
    PermissionDenied when the actor may not make it.
    """
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    if not can_edit_measure(actor, locked):
        raise PermissionDenied(_("You cannot change this measure."))
    reviewer = reviewer_kind(actor)
    _check_move(MEASURE_LIFECYCLE, locked.state, to_state, reviewer)
    if _sent_back(locked, to_state, actor, reviewer) and not reason.strip():
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say what to change, so that the partner can fix it."),
                    code="reason_required",
                )
            }
        )
    MEASURE_LIFECYCLE.transition(
        locked,
        to_state,
        actor=actor,
        reason=reason,
        history_model=MeasureStateChange,
        changes=_first_publication(locked, to_state, MeasureState.PUBLISHED),
        locked=True,
    )
    return locked


def _clean_practice(data: PracticeInput) -> PracticeInput:
    errors = ErrorCollector()
    title = _text(errors, "title", data.title, minimum=TITLE_MIN, maximum=TITLE_MAX)
    city = _text(errors, "city", data.city, maximum=120)
    country = _text(errors, "country", data.country, maximum=80)
    description = _text(errors, "description", data.description, minimum=20)
    lessons = _text(errors, "lessons", data.lessons, required=False)
    contact = _text(
        errors, "contact_organisation", data.contact_organisation, required=False, maximum=160
    )
    source = (data.source or "").strip()
    if not source:
        errors.add(
            "source",
            _("Say where this practice comes from: a document, a web page or your organisation."),
            "missing_source",
        )
    elif source.lower().startswith(("http:", "https:", "www.")):
        _link(errors, "source", source, required=True)
    if data.theme not in PracticeTheme.values:
        errors.add("theme", _("Choose a theme."), "unknown_theme")
    links = tuple(link.strip() for link in data.links if link.strip())
    if len(links) > LINKS_MAX:
        errors.add("links", _("Give at most %(max)d links."), "too_many_links", max=LINKS_MAX)
    for link in links:
        _link(errors, "links", link, required=False)
    errors.raise_if_any()
    return replace(
        data,
        title=title,
        city=city,
        country=country,
        description=description,
        lessons=lessons,
        contact_organisation=contact,
        source=source[:200],
        links=links,
    )


@transaction.atomic
def practice_propose(*, data: PracticeInput, actor: User) -> Practice:
    """A partner proposes a practice; a coordinator reviews it before it is public.

    Raise PermissionDenied for anyone else, ValidationError when the input is not valid.
    """
    kind = reviewer_kind(actor)
    if kind is None:
        raise PermissionDenied(_("Only partners and coordinators can propose practices."))
    data = _clean_practice(data)
    return Practice.objects.create(
        title=data.title,
        city=data.city,
        country=data.country,
        theme=data.theme,
        description=data.description,
        lessons=data.lessons,
        links=list(data.links),
        contact_organisation=data.contact_organisation,
        source_document=data.source,
        proposed_by=actor,
    )


@transaction.atomic
def practice_transition(*, practice: Practice, to_state: str, actor: User) -> Practice:
    locked = PRACTICE_LIFECYCLE.lock(practice)
    _check_move(PRACTICE_LIFECYCLE, locked.state, to_state, reviewer_kind(actor))
    PRACTICE_LIFECYCLE.transition(
        locked,
        to_state,
        changes=_first_publication(locked, to_state, PracticeState.PUBLISHED),
        locked=True,
    )
    return locked


def _clean_action(data: ActionInput, *, today: dt.date) -> ActionInput:
    errors = ErrorCollector()
    title = _text(errors, "title", data.title, minimum=TITLE_MIN, maximum=TITLE_MAX)
    description = _text(errors, "description", data.description, required=False)
    audience = _text(errors, "audience", data.audience, maximum=200)
    if data.theme not in Theme.values:
        errors.add("theme", _("Choose a theme."), "unknown_theme")
    if not data.zones:
        errors.add("zones", _("Choose at least one zone."), "required")
    _not_past(errors, "end_date", data.end_date, today)
    if data.start_date and data.end_date and data.end_date < data.start_date:
        errors.add("end_date", _("The end date is before the start date."), "window_reversed")
    errors.raise_if_any()
    return replace(data, title=title, description=description, audience=audience)


@transaction.atomic
def ongoing_action_declare(
    *, organisation: Organisation, data: ActionInput, actor: User
) -> OngoingAction:
    """Record what an organisation is doing, then look for likely duplicates of it.

    Raise PermissionDenied unless the actor edits for this organisation (or coordinates),
    ValidationError when the input is not valid.
    """
    if not editable_organisations(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("You cannot declare actions for this organisation."))
    data = _clean_action(data, today=timezone.localdate())
    action = OngoingAction.objects.create(
        organisation=organisation,
        title=data.title,
        description=data.description,
        theme=data.theme,
        audience=data.audience,
        start_date=data.start_date,
        end_date=data.end_date,
        created_by=actor,
    )
    action.zones.set(data.zones)
    duplicates_detect(action=action)
    return action


def _as_item(action: OngoingAction) -> duplicates.ActionItem:
    return duplicates.ActionItem(
        key=action.pk,
        organisation=action.organisation_id,
        theme=action.theme,
        zones=frozenset(zone.pk for zone in action.zones.all()),
        start=action.start_date,
        end=action.end_date,
        text=" ".join([action.title, action.description, action.audience]),
    )


def duplicates_detect(*, action: OngoingAction) -> list[DuplicateCandidate]:
    """Compare one action with every current action of the same theme; record new pairs.

    Safe to run twice: a pair already recorded (and any decision on it) is kept.
    """
    others = list(
        OngoingAction.objects.filter(theme=action.theme, end_date__gte=action.start_date)
        .exclude(pk=action.pk)
        .prefetch_related("zones")
    )
    corpus = list(
        OngoingAction.objects.filter(end_date__gte=timezone.localdate()).values_list(
            "title", "description", "audience"
        )
    )
    model = duplicates.TextModel.fit([" ".join(row) for row in corpus])
    found = []
    item = _as_item(action)
    for other in others:
        score = duplicates.pair_score(item, _as_item(other), model)
        if score is None or score < duplicates.THRESHOLD:
            continue
        first, second = sorted([action.pk, other.pk])
        candidate, _created = DuplicateCandidate.objects.get_or_create(
            first_id=first, second_id=second, defaults={"score": round(score, 4)}
        )
        found.append(candidate)
    return found


@transaction.atomic
def duplicate_decide(
    *, candidate: DuplicateCandidate, decision: str, actor: User
) -> DuplicateCandidate:
    """A coordinator marks a pair "coordinate together" or "not a duplicate"."""
    if not is_coordinator(actor):
        raise PermissionDenied(_("Only a coordinator can do this."))
    if decision not in (DuplicateDecision.COORDINATE, DuplicateDecision.NOT_DUPLICATE):
        raise ValidationError(_("Unknown decision."), code="unknown_decision")
    locked = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    locked.decision = decision
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def subscription_create(
    *, territory: Territory, email: str, language: str, user: User | None = None
) -> Subscription:
    """Subscribe an address to a territory's bulletin (again, if it had unsubscribed).

    Raise ValidationError for an invalid address or an unknown language.
    """
    errors = ErrorCollector()
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.add(
            "email", _("“%(value)s” is not a valid e-mail address."), "invalid_email", value=email
        )
    if language not in dict(settings.LANGUAGES):
        errors.add("language", _("Choose a language."), "unknown_language")
    errors.raise_if_any()
    subscription, _created = Subscription.objects.update_or_create(
        territory=territory,
        email=email,
        defaults={"language": language, "active": True, "unsubscribed_at": None, "user": user},
    )
    return subscription


def subscription_cancel(*, subscription: Subscription) -> Subscription:
    """Stop sending the bulletin to this subscription. Safe to run twice."""
    if subscription.active:
        subscription.active = False
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["active", "unsubscribed_at"])
    return subscription
