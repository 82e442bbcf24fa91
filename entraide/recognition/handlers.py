"""How recognition answers matching: a volunteer's finished assignment proposes its hours.

Subscribed in ``RecognitionConfig.ready``. ``hours_record`` is idempotent on the
assignment, so a handler run twice records the hours once.
"""

from entraide.matching.events import AssignmentCompleted
from entraide.platform.events import subscribe

from .services import hours_for_assignment


def propose_hours(event: AssignmentCompleted) -> None:
    """Only a volunteer's work counts here; an organisation's offer has no volunteer."""
    if event.volunteer_id is None:
        return
    hours_for_assignment(
        assignment_id=event.assignment_id,
        volunteer_id=event.volunteer_id,
        category=event.category,
        zone_id=event.zone_id,
        finished_on=event.finished_on,
    )


def connect() -> None:
    subscribe(AssignmentCompleted, propose_hours)
