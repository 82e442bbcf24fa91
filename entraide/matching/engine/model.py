"""Plain data types exchanged with the matching engine (no Django, no NumPy)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, IntEnum

HOURS_PER_WEEK = 168
ALWAYS_AVAILABLE: frozenset[int] = frozenset(range(HOURS_PER_WEEK))


class Urgency(IntEnum):
    """Urgency levels; a higher value is served first."""

    LOW = 0
    NORMAL = 1
    HIGH = 2
    CRITICAL = 3


URGENCY_LEVELS = len(Urgency)


class UnmatchedReason(Enum):
    """Why a request got no assignment, from the furthest filtering stage any supply reached.

    Stages are applied in this order: category, radius, language, availability, coordinator
    block, capacity. A request is reported at the first stage that eliminated its last
    candidate, so e.g. NO_COMMON_LANGUAGE means some supply offers the category within its
    radius but none of those speaks a common language.
    """

    NO_SUPPLY_FOR_CATEGORY = "no_supply_for_category"
    NO_SUPPLY_IN_RADIUS = "no_supply_in_radius"
    NO_COMMON_LANGUAGE = "no_common_language"
    NO_AVAILABILITY = "no_availability"
    BLOCKED = "blocked"
    CAPACITY_EXHAUSTED = "capacity_exhausted"


@dataclass(frozen=True, slots=True)
class Request:
    """An open help request.

    ``window_start``/``window_end`` are hour-of-week slots (0 = Monday 00:00), half-open
    ``[start, end)``; the window may run past the end of the week and wraps around.
    An empty ``languages`` set means any language is fine.
    """

    id: int
    lat: float
    lon: float
    category: str
    urgency: int = Urgency.NORMAL
    window_start: int = 0
    window_end: int = HOURS_PER_WEEK
    languages: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not 0 <= self.urgency < URGENCY_LEVELS:
            raise ValueError(f"urgency must be in 0..{URGENCY_LEVELS - 1}, got {self.urgency}")
        length = self.window_end - self.window_start
        if not 0 < length <= HOURS_PER_WEEK or self.window_start < 0:
            raise ValueError(f"invalid window [{self.window_start}, {self.window_end})")


@dataclass(frozen=True, slots=True)
class Supply:
    """A volunteer or an organisation offer with its *remaining* capacity.

    ``availability`` holds hour-of-week slots (0..167) when the supply can help.
    """

    id: int
    lat: float
    lon: float
    radius_km: float
    categories: frozenset[str]
    languages: frozenset[str] = frozenset()
    availability: frozenset[int] = ALWAYS_AVAILABLE
    capacity: int = 1

    def __post_init__(self) -> None:
        if self.capacity < 0 or self.radius_km < 0:
            raise ValueError("capacity and radius_km must be non-negative")
        if any(not 0 <= slot < HOURS_PER_WEEK for slot in self.availability):
            raise ValueError("availability slots must be in 0..167")


@dataclass(frozen=True, slots=True)
class Assignment:
    request_id: int
    supply_id: int
    distance_km: float


@dataclass(frozen=True)
class MatchResult:
    """Assignments sorted by request id, and the reason for every unserved request."""

    assignments: tuple[Assignment, ...]
    unmatched: Mapping[int, UnmatchedReason] = field(default_factory=dict)


@dataclass(frozen=True)
class Objective:
    """The lexicographic objective of a result: served per urgency level, then distance."""

    served_by_urgency: tuple[int, ...]
    total_km: float

    @property
    def served(self) -> int:
        return sum(self.served_by_urgency)

    def key(self) -> tuple[float, ...]:
        """A tuple that compares greater for a better result (most urgent level first)."""
        return (*reversed(self.served_by_urgency), -self.total_km)


BlockedPairs = frozenset[tuple[int, int]] | set[tuple[int, int]]
"""Coordinator-blocked ``(request_id, supply_id)`` pairs."""
