"""Optimality certificate over *every* eligible pair, and the edges that break it.

The min-cost flow is solved on candidate edges only. Its residual graph yields node
potentials ``pi`` (``flow.residual_potentials``) with a non-negative reduced cost
``cost + pi[tail] - pi[head]`` on every residual arc. An eligible pair ``(r, s)`` that is
not a candidate carries no flow, so it only adds the arc ``r -> s``; if its reduced cost
``metres(r, s) + pi[r] - pi[s]`` is non-negative for *all* such pairs, the potentials are
valid for the full graph, the full residual graph has no negative cycle, and the flow is
optimal over every eligible pair: the certificate. Otherwise the violating pairs are
added to the candidates and the flow is solved again (``solve.solve``).

Checking every pair would be quadratic, so the search is bounded:

* every eligible non-candidate supply of request ``r`` is at least ``reach[r]`` metres
  away (``candidates.py``), so ``r`` is certified outright when
  ``max(pi[s]) - pi[r] <= reach[r]``;
* otherwise the category's supplies are cut into bands of potentials (width: 1/16 of the
  largest radius in metres) and ``r`` only searches, nearest first, the bands with
  ``max band pi - pi[r] > reach[r]``, within ``(max band pi - pi[r])`` metres. In a band
  where even the smallest potential gives ``pi[s] - pi[r]`` above every radius, any
  eligible supply is a violation, so the search stops at the first ``limit`` found.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from .arrays import Instance, arc_km, chord_km
from .candidates import RADIUS_EPS_KM, UNBOUNDED, Candidates, offering, pair_tests
from .flow import FlowSolution, metres

Edges = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]
PAIRS_PER_CHUNK = 1 << 20
BANDS_PER_RADIUS = 16


def violations(
    instance: Instance, candidates: Candidates, solution: FlowSolution, limit: int
) -> Edges:
    """Eligible non-candidate pairs with a negative reduced cost (at most ``limit`` per
    request and band, nearest first); empty when the certificate holds."""
    reqs, sups = instance.requests, instance.supplies
    assert candidates.reach_m is not None
    reach = candidates.reach_m
    stride = max(1, len(sups))
    known = np.unique(candidates.req * stride + candidates.sup)
    tests = pair_tests(reqs, sups, instance.blocked_codes, instance.stride)
    found: list[Edges] = []
    for category in np.unique(reqs.category[reqs.category >= 0]):
        sup_rows = offering(sups, int(category))
        sup_rows = sup_rows[sups.capacity[sup_rows] > 0]
        if sup_rows.size == 0:
            continue
        req_rows = np.flatnonzero(reqs.category == category)
        pi_s = solution.pi_sup[sup_rows]
        pi_r = solution.pi_req[req_rows]
        open_rows = reach[req_rows] != UNBOUNDED
        need = open_rows & (int(pi_s.max()) - pi_r > reach[req_rows])
        if not need.any():
            continue
        max_radius = float(sups.radius_km[sup_rows].max()) + RADIUS_EPS_KM
        width = max(1, int(metres(np.array([max_radius]))[0]) // BANDS_PER_RADIUS)
        band = (pi_s - int(pi_s.min())) // width
        order = np.argsort(band, kind="stable")
        edges = np.flatnonzero(np.diff(band[order])) + 1
        rows = req_rows[need]
        for members in np.split(order, edges):
            hi = int(pi_s[members].max())
            gap = hi - solution.pi_req[rows]
            active = rows[gap > reach[rows]]
            if not active.size:
                continue
            search = _BandSearch(instance, sup_rows[members], tests, known, stride, solution, limit)
            found.append(search.run(active, hi, max_radius))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    req, sup, dist = (np.concatenate(cols) for cols in zip(*found, strict=True))
    return req, sup, dist


class _BandSearch:
    def __init__(
        self,
        instance: Instance,
        sup_rows: NDArray[np.int64],
        tests: list,  # type: ignore[type-arg]
        known: NDArray[np.int64],
        stride: int,
        solution: FlowSolution,
        limit: int,
    ) -> None:
        self.instance, self.sup_rows, self.tests = instance, sup_rows, tests
        self.known, self.stride, self.solution, self.limit = known, stride, solution, limit
        self.tree = cKDTree(instance.supplies.xy[sup_rows])

    def run(self, rows: NDArray[np.int64], hi: int, max_radius: float) -> Edges:
        pi_r = self.solution.pi_req[rows]
        # Search radius per request (km): beyond it no supply of the band can violate.
        rho = np.minimum(max_radius, (hi - pi_r) / 1000.0)
        bound = chord_km(float(rho.max())) * (1 + 1e-12) + 1e-12
        n = self.sup_rows.size
        k = min(n, max(16, 4 * self.limit))
        out: list[Edges] = []
        pending, pending_rho = rows, rho
        while pending.size:
            step = max(1, PAIRS_PER_CHUNK // k)
            keep = np.zeros(pending.size, dtype=np.bool_)
            for start in range(0, pending.size, step):
                part = slice(start, start + step)
                edges, unfinished = self._query(pending[part], pending_rho[part], k, bound)
                out.append(edges)
                keep[part] = unfinished
            pending, pending_rho = pending[keep], pending_rho[keep]
            if k >= n:
                break
            k = min(n, 4 * k)
        req, sup, dist = (np.concatenate(cols) for cols in zip(*out, strict=True))
        # Growing k re-finds the nearest pairs: keep each pair once.
        _, first = np.unique(req * self.stride + sup, return_index=True)
        return req[first], sup[first], dist[first]

    def _query(
        self, rows: NDArray[np.int64], rho: NDArray[np.float64], k: int, bound: float
    ) -> tuple[Edges, NDArray[np.bool_]]:
        chord, idx = self.tree.query(
            self.instance.requests.xy[rows], k=k, distance_upper_bound=bound, workers=-1
        )
        chord, idx = chord.reshape(rows.size, k), idx.reshape(rows.size, k)
        local, col = np.nonzero(idx < self.sup_rows.size)
        r, s = rows[local], self.sup_rows[idx[local, col]]
        d = arc_km(chord[local, col])
        ok = d <= rho[local] + RADIUS_EPS_KM
        for test in self.tests:
            ok[ok] = test(r[ok], s[ok], d[ok])
        reduced = metres(d) + self.solution.pi_req[r] - self.solution.pi_sup[s]
        ok &= reduced < 0
        codes = r * self.stride + s
        if self.known.size:
            at = np.minimum(np.searchsorted(self.known, codes), self.known.size - 1)
            ok &= self.known[at] != codes
        hits = np.flatnonzero(ok)
        first = np.searchsorted(local[hits], local[hits])
        hits = hits[np.arange(hits.size) - first < self.limit]
        count = np.bincount(local[hits], minlength=rows.size)
        last_valid = idx[:, -1] < self.sup_rows.size
        last_arc = arc_km(chord[:, -1].clip(max=4 * 6371.0))
        unfinished = (
            last_valid & (last_arc <= rho) & (count < self.limit) & (k < self.sup_rows.size)
        )
        return (r[hits], s[hits], d[hits]), unfinished
