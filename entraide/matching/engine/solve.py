"""Batch re-optimisation: the exact lexicographic optimum over every eligible pair.

The min-cost flow runs on candidate edges (each request's nearest eligible supplies, more
for co-located requests); its potentials are then checked against every eligible pair
(``certify.py``). Violating pairs are added and the flow solved again until the
certificate holds, so the result is the optimum of the whole instance, not of a pruned
graph. ``MatchResult.certified`` says it held (it always does unless ``MAX_ROUNDS`` ran
out, which the tests and the benchmark would show).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .arrays import Instance, build_instance
from .candidates import RADIUS_EPS_KM, Candidates, find_candidates
from .certify import violations
from .flow import FlowSolution, metres, solve_flow
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
"""Nearest eligible supplies a request starts with. ``None`` takes every eligible edge."""
MAX_ROUNDS = 50


def solve(
    requests: Sequence[Request],
    supplies: Sequence[Supply],
    *,
    blocked: BlockedPairs = frozenset(),
    max_candidates: int | None = DEFAULT_MAX_CANDIDATES,
    certify: bool = True,
) -> MatchResult:
    """Optimal assignment: most urgent first, then most requests, then least travel.

    ``supplies`` carry their *remaining* capacity (accepted assignments already deducted).
    ``max_candidates`` only sets where the candidate search starts; with ``certify`` (the
    default) edges are added until the result is proven optimal over every eligible pair.
    ``certify=False`` is the fast approximation (optimal over the candidate graph only).
    Invalid rows are skipped and listed in ``MatchResult.rejected``.
    """
    instance = build_instance(requests, supplies, blocked)
    if max_candidates is None:
        candidates = find_candidates(instance, None)
        solution = _flow(instance, candidates, instance.supplies.capacity)
        return build_result(instance, candidates, np.flatnonzero(solution.used), True)
    candidates = find_candidates(instance, max_candidates, colocated=True)
    candidates, solution, certified = certified_flow(
        instance, candidates, max_candidates, rounds=MAX_ROUNDS if certify else 0
    )
    return build_result(instance, candidates, np.flatnonzero(solution.used), certified)


def certified_flow(
    instance: Instance, candidates: Candidates, limit: int, *, rounds: int = MAX_ROUNDS
) -> tuple[Candidates, FlowSolution, bool]:
    """Solve, check the certificate, add the violating edges, solve again...

    Returns the final candidates, their flow and whether the certificate held (with
    ``rounds=0`` the flow is solved once and not certified)."""
    capacity = instance.supplies.capacity
    solution = _flow(instance, candidates, capacity, potentials=rounds > 0)
    for _round in range(rounds):
        extra = violations(instance, candidates, solution, limit)
        if not extra[0].size:
            return candidates, solution, True
        candidates = candidates.with_edges(*extra)
        solution = _flow(instance, candidates, capacity, potentials=True)
    return candidates, solution, False


def _flow(
    instance: Instance,
    candidates: Candidates,
    capacity: NDArray[np.int64],
    *,
    potentials: bool = False,
) -> FlowSolution:
    """The flow with unserved weights valid for *every* eligible edge of the instance."""
    sups = instance.supplies
    open_sup = capacity > 0
    radius = float(sups.radius_km[open_sup].max()) + RADIUS_EPS_KM if open_sup.any() else 0.0
    return solve_flow(
        candidates.req,
        candidates.sup,
        metres(candidates.dist_km),
        instance.requests.urgency,
        capacity,
        max_cost=int(metres(np.array([radius]))[0]),
        served_bound=min(len(instance.requests), int(capacity.sum())),
        potentials=potentials,
    )


def optimal_edges(
    instance: Instance, candidates: Candidates, capacity: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Indices of the candidate edges used by the lexicographic optimum of that graph."""
    return np.flatnonzero(_flow(instance, candidates, capacity).used)


def build_result(
    instance: Instance, candidates: Candidates, chosen: NDArray[np.int64], certified: bool
) -> MatchResult:
    return result_from_pairs(
        instance,
        candidates.req[chosen],
        candidates.sup[chosen],
        candidates.dist_km[chosen],
        candidates,
        certified=certified,
    )


def result_from_pairs(
    instance: Instance,
    req: NDArray[np.int64],
    sup: NDArray[np.int64],
    dist_km: NDArray[np.float64],
    candidates: Candidates,
    *,
    certified: bool = False,
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
    return MatchResult(assignments, unmatched, instance.rejected, certified)


def evaluate(result: MatchResult, requests: Sequence[Request]) -> Objective:
    """Served count per urgency level and total distance of a result."""
    urgency = {r.id: r.urgency for r in requests}
    served = [0] * URGENCY_LEVELS
    for a in result.assignments:
        served[urgency[a.request_id]] += 1
    total = float(sum(a.distance_km for a in result.assignments))
    return Objective(tuple(served), total)
