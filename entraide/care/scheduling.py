"""Who calls whom: assigning courtesy calls to volunteers (pure Python, no Django).

The algorithm, slot by slot in time order (all calls share a grid of slots, so two calls
overlap exactly when they are in the same slot):

1. within a slot, the calls with the fewest eligible volunteers go first (a Catalan
   speaker's call before a French one, so the one Catalan speaker is not used up);
2. each call goes to the eligible volunteer — speaks the person's language, free in that
   slot, available then — with the lowest load (calls already held in the horizon),
   ties to the lowest id.

Taking the least-loaded free volunteer keeps every volunteer's load within one call of
the others in a group who speak the same languages: if all loads are m or m+1 before a
slot, the k calls of the slot go to the k lowest, which leaves loads in {m, m+1} or
{m+1, m+2}. Calls nobody can take stay unassigned and show on the coordinator's list.
"""

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

PERIOD_BOUNDS = ((12, "morning"), (18, "afternoon"), (24, "evening"))
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class CallSlot:
    call_id: int
    at: dt.datetime
    language: str


@dataclass
class Caller:
    volunteer_id: int
    languages: frozenset[str]
    load: int = 0
    busy: set[dt.datetime] = field(default_factory=set)
    availability: frozenset[str] = frozenset()

    def can_take(self, call: CallSlot) -> bool:
        return (
            call.language in self.languages
            and call.at not in self.busy
            and (not self.availability or availability_slot(call.at) in self.availability)
        )


def availability_slot(at: dt.datetime) -> str:
    """A moment as a volunteer's availability slot, e.g. ``"mon:morning"`` (local time)."""
    period = next(name for bound, name in PERIOD_BOUNDS if at.hour < bound)
    return f"{WEEKDAYS[at.weekday()]}:{period}"


def assign(calls: list[CallSlot], callers: list[Caller]) -> dict[int, int]:
    """Return ``{call_id: volunteer_id}`` for the calls that someone can take.

    ``callers`` are updated in place (load and busy slots), so a caller can chain runs.
    """
    assignment: dict[int, int] = {}
    ordered = sorted(calls, key=lambda c: (c.at, c.call_id))
    for _at, group in groupby(ordered, key=lambda c: c.at):
        pending = list(group)
        pending.sort(key=lambda c: (sum(p.can_take(c) for p in callers), c.call_id))
        for call in pending:
            eligible = [p for p in callers if p.can_take(call)]
            if not eligible:
                continue
            chosen = min(eligible, key=lambda p: (p.load, p.volunteer_id))
            chosen.load += 1
            chosen.busy.add(call.at)
            assignment[call.call_id] = chosen.volunteer_id
    return assignment
