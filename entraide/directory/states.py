"""Moderation life cycles of measures and practices: the one place that says which moves
are allowed, and who may make them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.platform.transitions import Lifecycle


class MeasureState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_REVIEW = "pending_review", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class PracticeState(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")


class Reviewer(models.TextChoices):
    PARTNER = "partner", _("Partner")
    COORDINATOR = "coordinator", _("Coordinator")


# target state → who may move a measure there, from which states.
MEASURE_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    MeasureState.DRAFT: {
        MeasureState.PENDING_REVIEW: frozenset({Reviewer.PARTNER, Reviewer.COORDINATOR}),
        MeasureState.PUBLISHED: frozenset({Reviewer.COORDINATOR}),
        MeasureState.ARCHIVED: frozenset({Reviewer.PARTNER, Reviewer.COORDINATOR}),
    },
    MeasureState.PENDING_REVIEW: {
        MeasureState.PUBLISHED: frozenset({Reviewer.COORDINATOR}),
        MeasureState.DRAFT: frozenset({Reviewer.PARTNER, Reviewer.COORDINATOR}),
        MeasureState.ARCHIVED: frozenset({Reviewer.COORDINATOR}),
    },
    MeasureState.PUBLISHED: {
        MeasureState.ARCHIVED: frozenset({Reviewer.PARTNER, Reviewer.COORDINATOR}),
        MeasureState.PENDING_REVIEW: frozenset({Reviewer.PARTNER, Reviewer.COORDINATOR}),
    },
    MeasureState.ARCHIVED: {
        MeasureState.DRAFT: frozenset({Reviewer.PARTNER, Reviewer.COORDINATOR}),
    },
}

PRACTICE_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    PracticeState.PENDING_REVIEW: {
        PracticeState.PUBLISHED: frozenset({Reviewer.COORDINATOR}),
        PracticeState.REJECTED: frozenset({Reviewer.COORDINATOR}),
    },
    PracticeState.PUBLISHED: {PracticeState.REJECTED: frozenset({Reviewer.COORDINATOR})},
    PracticeState.REJECTED: {PracticeState.PUBLISHED: frozenset({Reviewer.COORDINATOR})},
}

MEASURE_LIFECYCLE = Lifecycle(
    MeasureState,
    MEASURE_TRANSITIONS,
    field="state",
    touch=("updated_at",),
    history_link="measure",
    history_from="from_state",
    history_to="to_state",
)
PRACTICE_LIFECYCLE = Lifecycle(PracticeState, PRACTICE_TRANSITIONS, field="state")


def allowed_targets(
    transitions: dict[str, dict[str, frozenset[str]]], current: str, reviewer: str
) -> list[str]:
    return [t for t, who in transitions.get(current, {}).items() if reviewer in who]
