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
    An empty ``languages`` set means any language is fine. Values are checked by the
    solvers (``validate.request_problem``), not here, so that one bad row is skipped and
    reported instead of aborting a whole batch.
    """

    id: int
    lat: float
    lon: float
    category: str
    urgency: int = Urgency.NORMAL
    window_start: int = 0
    window_end: int = HOURS_PER_WEEK
    languages: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Supply:
    """A volunteer or an organisation offer with its *remaining* capacity.

    ``availability`` holds hour-of-week slots (0..167) when the supply can help.
    Like ``Request``, it is not checked on construction: the solvers validate every row
    and skip (and report in ``MatchResult.rejected``) the invalid ones.
    """

    id: int
    lat: float
    lon: float
    radius_km: float
    categories: frozenset[str]
    languages: frozenset[str] = frozenset()
    availability: frozenset[int] = ALWAYS_AVAILABLE
    capacity: int = 1


@dataclass(frozen=True, slots=True)
class Assignment:
    request_id: int
    supply_id: int
    distance_km: float


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input row the engine skipped: ``kind`` is "request" or "supply"."""

    kind: str
    id: int
    reason: str


@dataclass(frozen=True)
class MatchResult:
    """Assignments sorted by request id, and the reason for every unserved request.

    ``rejected`` lists invalid input rows (bad coordinates, radius, urgency, capacity,
    window, duplicate id); they take no part in matching and are not in ``unmatched``.
    ``certified`` is True when the result is proven optimal over every eligible pair.
    """

    assignments: tuple[Assignment, ...]
    unmatched: Mapping[int, UnmatchedReason] = field(default_factory=dict)
    rejected: tuple[Rejected, ...] = ()
    certified: bool = False


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
