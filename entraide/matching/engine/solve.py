"""Batch re-optimisation: exact lexicographic min-cost flow over the candidate graph."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .arrays import Instance, build_instance
from .candidates import Candidates, find_candidates
from .flow import assign, metres
from .model import (
    URGENCY_LEVELS,
    Assignment,
    BlockedPairs,
    MatchResult,
    Objective,
    Request,
    Supply,
)

DEFAULT_MAX_CANDIDATES = 24
"""Nearest eligible supplies kept per request. ``None`` keeps every eligible edge."""


def solve(
    requests: Sequence[Request],
    supplies: Sequence[Supply],
    *,
    blocked: BlockedPairs = frozenset(),
    max_candidates: int | None = DEFAULT_MAX_CANDIDATES,
) -> MatchResult:
    """Optimal assignment: most urgent first, then most requests, then least travel.

    Exact over the candidate graph; with ``max_candidates=None`` the graph holds every
    eligible pair and the result is the exact optimum of the whole instance. ``supplies``
    carry their *remaining* capacity (accepted assignments already deducted).
    """
    instance = build_instance(requests, supplies, blocked)
    candidates = find_candidates(instance, max_candidates)
    chosen = optimal_edges(instance, candidates, instance.supplies.capacity)
    return build_result(instance, candidates, chosen)


def optimal_edges(
    instance: Instance, candidates: Candidates, capacity: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Indices of the candidate edges used by the lexicographic optimum."""
    served = assign(
        candidates.req,
        candidates.sup,
        metres(candidates.dist_km),
        instance.requests.urgency,
        capacity,
    )
    return np.flatnonzero(served)


def build_result(
    instance: Instance, candidates: Candidates, chosen: NDArray[np.int64]
) -> MatchResult:
    return result_from_pairs(
        instance,
        candidates.req[chosen],
        candidates.sup[chosen],
        candidates.dist_km[chosen],
        candidates,
    )


def result_from_pairs(
    instance: Instance,
    req: NDArray[np.int64],
    sup: NDArray[np.int64],
    dist_km: NDArray[np.float64],
    candidates: Candidates,
) -> MatchResult:
    """Assemble a result; ``candidates.stage`` must cover every unserved request row."""
    order = np.argsort(req, kind="stable")
    req_ids, sup_ids = instance.requests.ids, instance.supplies.ids
    assignments = tuple(
        Assignment(int(req_ids[r]), int(sup_ids[s]), float(d))
        for r, s, d in zip(req[order], sup[order], dist_km[order], strict=True)
    )
    unserved = np.ones(len(instance.requests), dtype=np.bool_)
    unserved[req] = False
    unmatched = {int(req_ids[r]): candidates.reason(int(r)) for r in np.flatnonzero(unserved)}
    return MatchResult(assignments, unmatched)


def evaluate(result: MatchResult, requests: Sequence[Request]) -> Objective:
    """Served count per urgency level and total distance of a result."""
    urgency = {r.id: r.urgency for r in requests}
    served = [0] * URGENCY_LEVELS
    for a in result.assignments:
        served[urgency[a.request_id]] += 1
    total = float(sum(a.distance_km for a in result.assignments))
    return Objective(tuple(served), total)
