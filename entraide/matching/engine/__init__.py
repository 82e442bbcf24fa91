"""Pure matching engine: requests to volunteers and organisation offers (no Django).

``solve`` is the exact lexicographic optimum (urgency, then count, then distance) as a
min-cost flow; ``solve_tiled`` its parallel large-scale variant; ``propose_instant`` the
sub-millisecond nearest-eligible proposal on a prebuilt ``SupplyIndex``; ``greedy_nearest``
the baseline.
"""

from .index import SupplyIndex, greedy_nearest, propose_instant
from .model import (
    ALWAYS_AVAILABLE,
    HOURS_PER_WEEK,
    Assignment,
    BlockedPairs,
    MatchResult,
    Objective,
    Request,
    Supply,
    UnmatchedReason,
    Urgency,
)
from .solve import DEFAULT_MAX_CANDIDATES, evaluate, solve
from .tiled import solve_tiled

__all__ = [
    "ALWAYS_AVAILABLE",
    "DEFAULT_MAX_CANDIDATES",
    "HOURS_PER_WEEK",
    "Assignment",
    "BlockedPairs",
    "MatchResult",
    "Objective",
    "Request",
    "Supply",
    "SupplyIndex",
    "UnmatchedReason",
    "Urgency",
    "evaluate",
    "greedy_nearest",
    "propose_instant",
    "solve",
    "solve_tiled",
]
