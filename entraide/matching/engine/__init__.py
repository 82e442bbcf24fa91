"""Pure matching engine: requests to volunteers and organisation offers (no Django).

``solve`` is the exact lexicographic optimum (urgency, then count, then distance) as a
min-cost flow over candidate edges, certified against every eligible pair;
``solve_tiled`` its parallel large-scale variant; ``propose_instant`` the
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
    Rejected,
    Request,
    Supply,
    UnmatchedReason,
    Urgency,
)
from .solve import DEFAULT_MAX_CANDIDATES, evaluate, solve
from .tiled import solve_tiled
from .validate import request_problem, supply_problem

__all__ = [
    "ALWAYS_AVAILABLE",
    "DEFAULT_MAX_CANDIDATES",
    "HOURS_PER_WEEK",
    "Assignment",
    "BlockedPairs",
    "MatchResult",
    "Objective",
    "Rejected",
    "Request",
    "Supply",
    "SupplyIndex",
    "UnmatchedReason",
    "Urgency",
    "evaluate",
    "greedy_nearest",
    "propose_instant",
    "request_problem",
    "solve",
    "solve_tiled",
    "supply_problem",
]
