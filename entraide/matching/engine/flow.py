"""Exact lexicographic assignment as one min-cost flow (OR-Tools ``SimpleMinCostFlow``).

Graph: every request with at least one candidate is a node with supply 1; it ships its unit
either along a candidate edge ``request -> supply`` (cost: distance in whole metres) or along
its own *unserved* arc ``request -> sink`` (cost ``W[u]`` for urgency ``u``). Each supply has
an arc ``supply -> sink`` with its remaining capacity and cost 0. The sink absorbs all units.

Why the lexicographic objective is exact with ``W[u] = (u + 1) * G`` and
``G = S * D + 1`` (``D`` the largest edge cost, ``S`` an upper bound on the number of
served requests): compare the optimum X with any solution Y whose served-per-urgency vector
is lexicographically larger. Y - X decomposes into simple cycles of X's residual graph; each
either serves one more request (gain ``W[u] >= G``), swaps a served request of level ``v``
for one of level ``u`` (gain ``W[u] - W[v]``, a multiple of ``G``), or only reassigns. Since
the lexicographic order is compatible with addition, one cycle must be lexicographically
positive, gaining at least ``G`` in unserved cost while adding at most ``S * D`` metres of
travel (it adds at most one edge per request served in Y). Its cost is negative, so X
would not be optimal: contradiction. Hence the optimum first maximises critical, then high,
normal and low service, then minimises metres. Because matchable request sets form a
(transversal) matroid, this lexicographic-by-urgency optimum also serves the most requests.

The costs stay small (``W`` about ``n * radius_m * 4``, e.g. 2e9 at 100k requests and 5 km)
so ``W * (nodes + 1)``, the range OR-Tools' cost scaling needs, fits easily in int64.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from .model import URGENCY_LEVELS

COST_LIMIT = 1 << 62


class FlowError(RuntimeError):
    """OR-Tools did not report an optimal flow (should not happen on valid input)."""


def metres(dist_km: NDArray[np.float64]) -> NDArray[np.int64]:
    return np.rint(np.asarray(dist_km) * 1000.0).astype(np.int64)


def unserved_weights(served_bound: int, max_cost: int) -> NDArray[np.int64]:
    """``W[u]`` per urgency level, see the module docstring."""
    gap = served_bound * max(max_cost, 1) + 1
    return gap * np.arange(1, URGENCY_LEVELS + 1, dtype=np.int64)


@dataclass(frozen=True)
class FlowSolution:
    """Which edges carry flow, and node potentials proving it optimal.

    ``pi_req``/``pi_sup`` are indexed like ``urgency``/``capacity`` (0 for nodes outside
    the graph: a supply outside has only its arc to the sink, so 0 is its shortest-path
    distance from the virtual source too). For every residual arc the reduced cost
    ``cost + pi[tail] - pi[head]`` is non-negative; ``weights`` are the unserved costs
    ``W[u]`` used.
    """

    used: NDArray[np.bool_]
    pi_req: NDArray[np.int64]
    pi_sup: NDArray[np.int64]
    weights: NDArray[np.int64]


def assign(
    edge_req: NDArray[np.int64],
    edge_sup: NDArray[np.int64],
    edge_cost: NDArray[np.int64],
    urgency: NDArray[np.int64],
    capacity: NDArray[np.int64],
) -> NDArray[np.bool_]:
    """Which candidate edges carry flow in the lexicographic optimum of the edges given."""
    return solve_flow(edge_req, edge_sup, edge_cost, urgency, capacity).used


def solve_flow(
    edge_req: NDArray[np.int64],
    edge_sup: NDArray[np.int64],
    edge_cost: NDArray[np.int64],
    urgency: NDArray[np.int64],
    capacity: NDArray[np.int64],
    *,
    max_cost: int | None = None,
    served_bound: int | None = None,
    potentials: bool = False,
) -> FlowSolution:
    """Lexicographic optimum over the edges given (see the module docstring).

    ``edge_req``/``edge_sup`` index ``urgency`` and ``capacity``; only nodes that touch an
    edge enter the graph, so isolated requests and supplies cost nothing. ``max_cost`` and
    ``served_bound`` must bound *every eligible* edge and the served count when the result
    is to be certified against edges outside this graph (the weights then stay valid).
    """
    n_req_all, n_sup_all = urgency.size, capacity.size
    if edge_req.size == 0:
        zeros = np.zeros(0, dtype=np.int64)
        return FlowSolution(
            np.zeros(0, dtype=np.bool_),
            np.zeros(n_req_all, dtype=np.int64),
            np.zeros(n_sup_all, dtype=np.int64),
            zeros,
        )
    req_nodes, req_local = np.unique(edge_req, return_inverse=True)
    sup_nodes, sup_local = np.unique(edge_sup, return_inverse=True)
    n_req, n_sup = req_nodes.size, sup_nodes.size
    sink = n_req + n_sup
    sup_cap = np.minimum(capacity[sup_nodes], np.bincount(sup_local, minlength=n_sup))
    bound = min(n_req, int(sup_cap.sum())) if served_bound is None else served_bound
    top = int(edge_cost.max()) if max_cost is None else max(max_cost, int(edge_cost.max()))
    weights = unserved_weights(bound, top)
    _check_range(int(weights[-1]), sink + 1)

    tails = np.concatenate([req_local, np.arange(n_req), n_req + np.arange(n_sup)])
    heads = np.concatenate([n_req + sup_local, np.full(n_req + n_sup, sink)])
    caps = np.concatenate([np.ones(edge_req.size + n_req, dtype=np.int64), sup_cap])
    costs = np.concatenate(
        [edge_cost, weights[urgency[req_nodes]], np.zeros(n_sup, dtype=np.int64)]
    ).astype(np.int64)
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_req], supplies[sink] = 1, -n_req

    flow = SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, costs
    )
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != SimpleMinCostFlow.OPTIMAL:
        raise FlowError(f"min-cost flow status {status}")
    flows = flow.flows(np.arange(tails.size, dtype=np.int32))
    used: NDArray[np.bool_] = flows[: edge_req.size] > 0
    pi_req = np.zeros(n_req_all, dtype=np.int64)
    pi_sup = np.zeros(n_sup_all, dtype=np.int64)
    if potentials:
        pi = residual_potentials(tails, heads, caps, costs, flows, sink + 1)
        pi_req[req_nodes] = pi[:n_req]
        pi_sup[sup_nodes] = pi[n_req:sink]
    return FlowSolution(used, pi_req, pi_sup, weights)


def residual_potentials(
    tails: NDArray[np.int64],
    heads: NDArray[np.int64],
    caps: NDArray[np.int64],
    costs: NDArray[np.int64],
    flows: NDArray[np.int64],
    n_nodes: int,
) -> NDArray[np.int64]:
    """Shortest-path distances from a virtual source (0 to every node) in the residual
    graph: valid potentials, i.e. every residual arc has a non-negative reduced cost.

    The residual graph of an optimal flow has no negative cycle, so this vectorised
    Bellman-Ford (relaxing only arcs out of nodes that changed) terminates.
    """
    forward = flows < caps
    backward = flows > 0
    tail = np.concatenate([tails[forward], heads[backward]])
    head = np.concatenate([heads[forward], tails[backward]])
    cost = np.concatenate([costs[forward], -costs[backward]])
    order = np.argsort(tail, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    starts = np.searchsorted(tail, np.arange(n_nodes + 1))
    pi = np.zeros(n_nodes, dtype=np.int64)
    changed = np.arange(n_nodes)
    for _round in range(n_nodes + 1):
        if not changed.size:
            return pi
        lengths = starts[changed + 1] - starts[changed]
        arcs = np.repeat(starts[changed], lengths) + (
            np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        )
        offer = pi[tail[arcs]] + cost[arcs]
        better = offer < pi[head[arcs]]
        if not better.any():
            return pi
        targets, offers = head[arcs][better], offer[better]
        before = pi.copy()
        np.minimum.at(pi, targets, offers)
        changed = np.flatnonzero(pi < before)
    raise FlowError("negative cycle in the residual graph: the flow is not optimal")


def _check_range(max_weight: int, nodes: int) -> None:
    if max_weight * nodes >= COST_LIMIT:
        raise FlowError(f"instance too large for exact int64 costs ({max_weight} x {nodes})")
