"""Make the demo look lived-in: some volunteers have already accepted their proposals."""

import random

from .models import Assignment, AssignmentStatus
from .services import AlreadyTaken, assignment_accept


def demo_accept_some(*, share: float, seed: int = 2020) -> int:
    rng = random.Random(seed)
    proposals = (
        Assignment.objects.filter(status=AssignmentStatus.PROPOSED, volunteer__isnull=False)
        .select_related("volunteer")
        .order_by("pk")
    )
    accepted = 0
    for assignment in proposals:
        if rng.random() >= share:
            continue
        try:
            assignment_accept(assignment=assignment, volunteer=assignment.volunteer)
            accepted += 1
        except AlreadyTaken:
            continue
    return accepted
