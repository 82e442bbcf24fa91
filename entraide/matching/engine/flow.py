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


def assign(
    edge_req: NDArray[np.int64],
    edge_sup: NDArray[np.int64],
    edge_cost: NDArray[np.int64],
    urgency: NDArray[np.int64],
    capacity: NDArray[np.int64],
) -> NDArray[np.bool_]:
    """Which candidate edges carry flow in the lexicographic optimum.

    ``edge_req``/``edge_sup`` index ``urgency`` and ``capacity``; only nodes that touch an
    edge enter the graph, so isolated requests and supplies cost nothing.
    """
    if edge_req.size == 0:
        return np.zeros(0, dtype=np.bool_)
    req_nodes, req_local = np.unique(edge_req, return_inverse=True)
    sup_nodes, sup_local = np.unique(edge_sup, return_inverse=True)
    n_req, n_sup = req_nodes.size, sup_nodes.size
    sink = n_req + n_sup
    sup_cap = np.minimum(capacity[sup_nodes], np.bincount(sup_local, minlength=n_sup))
    weights = unserved_weights(min(n_req, int(sup_cap.sum())), int(edge_cost.max()))
    _check_range(int(weights[-1]), sink + 1)

    tails = np.concatenate([req_local, np.arange(n_req), n_req + np.arange(n_sup)])
    heads = np.concatenate([n_req + sup_local, np.full(n_req + n_sup, sink)])
    caps = np.concatenate([np.ones(edge_req.size + n_req, dtype=np.int64), sup_cap])
    costs = np.concatenate(
        [edge_cost, weights[urgency[req_nodes]], np.zeros(n_sup, dtype=np.int64)]
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_req], supplies[sink] = 1, -n_req

    flow = SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, costs.astype(np.int64)
    )
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != SimpleMinCostFlow.OPTIMAL:
        raise FlowError(f"min-cost flow status {status}")
    used: NDArray[np.bool_] = flow.flows(np.arange(edge_req.size, dtype=np.int32)) > 0
    return used


def _check_range(max_weight: int, nodes: int) -> None:
    if max_weight * nodes >= COST_LIMIT:
        raise FlowError(f"instance too large for exact int64 costs ({max_weight} x {nodes})")
