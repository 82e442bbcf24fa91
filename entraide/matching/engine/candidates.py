"""Candidate (request, supply) edges from per-category KD-trees, fully vectorised.

For each category, one ``cKDTree`` over the supplies offering it is queried with the
requests of that category for their ``K`` nearest points within the category's largest
radius. The pairs are then filtered stage by stage (radius, language, availability, block,
capacity). Requests that still need candidates are re-queried with ``K`` four times larger,
so each request ends with its ``max_candidates`` nearest *eligible* supplies, or with all of
them when ``max_candidates`` is ``None``. The furthest stage any pair reached is kept per
request: it is the unmatched reason when nothing is eligible.

Co-located requests (several requests of one category at the very same point, e.g. at a
zone centroid) would all get the same ``K`` nearest supplies; each of them therefore asks
for ``K + m - 1`` where ``m`` is the number of requests of that category at that point.
Each row also records its ``reach``: every eligible supply *not* among its candidates is
at least that many metres away (infinite when the list holds all eligible supplies). The
optimality certificate (``certify.py``) relies on it.

Distances are great-circle kilometres: the trees hold Earth-centred 3-D points and are
searched with the chord of the radius.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from .arrays import Instance, RequestArrays, SupplyArrays, arc_km, chord_km, overlaps
from .model import UnmatchedReason

PAIRS_PER_CHUNK = 1 << 20
RADIUS_EPS_KM = 1e-9
UNBOUNDED = np.iinfo(np.int64).max

STAGE_ELIGIBLE = 6
STAGE_REASONS: dict[int, UnmatchedReason] = {
    0: UnmatchedReason.NO_SUPPLY_FOR_CATEGORY,
    1: UnmatchedReason.NO_SUPPLY_IN_RADIUS,
    2: UnmatchedReason.NO_COMMON_LANGUAGE,
    3: UnmatchedReason.NO_AVAILABILITY,
    4: UnmatchedReason.BLOCKED,
    5: UnmatchedReason.CAPACITY_EXHAUSTED,
    STAGE_ELIGIBLE: UnmatchedReason.CAPACITY_EXHAUSTED,
}

Pairs = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]
PairTest = Callable[[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]], NDArray[np.bool_]]


@dataclass(frozen=True)
class Candidates:
    """Eligible edges grouped by request row (nearest first), each row's stage, and each
    row's reach (metres below which every eligible supply is a candidate)."""

    req: NDArray[np.int64]
    sup: NDArray[np.int64]
    dist_km: NDArray[np.float64]
    stage: NDArray[np.int8]
    reach_m: NDArray[np.int64] | None = None

    def with_edges(
        self, req: NDArray[np.int64], sup: NDArray[np.int64], dist_km: NDArray[np.float64]
    ) -> Candidates:
        """These candidates plus extra edges (kept grouped by request row)."""
        all_req = np.concatenate([self.req, req])
        order = np.argsort(all_req, kind="stable")
        return Candidates(
            all_req[order],
            np.concatenate([self.sup, sup])[order],
            np.concatenate([self.dist_km, dist_km])[order],
            self.stage,
            self.reach_m,
        )

    def reason(self, row: int) -> UnmatchedReason:
        return STAGE_REASONS[int(self.stage[row])]


def find_candidates(
    instance: Instance, max_candidates: int | None, *, colocated: bool = False
) -> Candidates:
    """Each request's nearest eligible supplies (all of them for ``None``).

    With ``colocated`` a request shares its point with ``m - 1`` others of its category
    and asks for ``max_candidates + m - 1``.
    """
    return candidates_for(
        instance.requests,
        instance.supplies,
        pair_tests(instance.requests, instance.supplies, instance.blocked_codes, instance.stride),
        max_candidates,
        colocated=colocated,
    )


def colocated_counts(reqs: RequestArrays) -> NDArray[np.int64]:
    """How many requests of each row's category sit at exactly its point (itself included)."""
    if not len(reqs):
        return np.zeros(0, dtype=np.int64)
    keys = np.column_stack([reqs.xy, reqs.category.astype(np.float64)])
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    return np.asarray(counts[inverse.ravel()], dtype=np.int64)


def pair_tests(
    reqs: RequestArrays, sups: SupplyArrays, blocked: NDArray[np.int64], stride: int
) -> list[PairTest]:
    """The eligibility filters after category, in the order that defines unmatched reasons."""

    def blocked_ok(r: NDArray[np.int64], s: NDArray[np.int64], _: object) -> NDArray[np.bool_]:
        if not blocked.size:
            return np.ones(r.size, dtype=np.bool_)
        return ~np.isin(reqs.pos[r] * stride + sups.pos[s], blocked)

    return [
        lambda r, s, d: d <= sups.radius_km[s] + RADIUS_EPS_KM,
        lambda r, s, d: reqs.lang_any[r] | overlaps(reqs.lang_bits[r], sups.lang_bits[s]),
        lambda r, s, d: overlaps(reqs.window_bits[r], sups.availability_bits[s]),
        blocked_ok,
        lambda r, s, d: sups.capacity[s] > 0,
    ]


def candidates_for(
    reqs: RequestArrays,
    sups: SupplyArrays,
    tests: list[PairTest],
    max_candidates: int | None,
    *,
    colocated: bool = False,
) -> Candidates:
    stage = np.zeros(len(reqs), dtype=np.int8)
    reach = np.full(len(reqs), UNBOUNDED, dtype=np.int64)
    want: NDArray[np.int64] | None = None
    if max_candidates is not None:
        want = np.full(len(reqs), max(1, max_candidates), dtype=np.int64)
        if colocated:
            want += colocated_counts(reqs) - 1
    parts: list[Pairs] = []
    for category in np.unique(reqs.category[reqs.category >= 0]):
        sup_rows = offering(sups, int(category))
        if sup_rows.size == 0:
            continue
        req_rows = np.flatnonzero(reqs.category == category)
        stage[req_rows] = 1
        search = _CategorySearch(reqs, sups, sup_rows, tests, stage, reach)
        parts.append(search.run(req_rows, want))
    return _sorted_candidates(parts, stage, reach)


def offering(sups: SupplyArrays, category: int) -> NDArray[np.int64]:
    word, bit = divmod(category, 64)
    mask = np.left_shift(np.uint64(1), np.uint64(bit))
    return np.flatnonzero(np.bitwise_and(sups.category_bits[:, word], mask) != 0)


def _sorted_candidates(
    parts: list[Pairs], stage: NDArray[np.int8], reach: NDArray[np.int64]
) -> Candidates:
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(empty, empty, np.zeros(0), stage, reach)
    req, sup, dist = (np.concatenate(cols) for cols in zip(*parts, strict=True))
    order = np.argsort(req, kind="stable")
    return Candidates(req[order], sup[order], dist[order], stage, reach)


class _CategorySearch:
    """Growing-K nearest-neighbour search of one category's supplies."""

    def __init__(
        self,
        reqs: RequestArrays,
        sups: SupplyArrays,
        sup_rows: NDArray[np.int64],
        tests: list[PairTest],
        stage: NDArray[np.int8],
        reach: NDArray[np.int64],
    ) -> None:
        self.reqs, self.sup_rows, self.tests = reqs, sup_rows, tests
        self.stage, self.reach = stage, reach
        self.tree = cKDTree(sups.xy[sup_rows])
        self.max_radius = float(sups.radius_km[sup_rows].max()) + RADIUS_EPS_KM
        self.bound = chord_km(self.max_radius) * (1 + 1e-12) + 1e-12

    def run(self, req_rows: NDArray[np.int64], want: NDArray[np.int64] | None) -> Pairs:
        n_sup = self.sup_rows.size
        k = n_sup if want is None else min(n_sup, max(16, 4 * int(want[req_rows].min(initial=1))))
        found: list[Pairs] = []
        pending = req_rows
        while pending.size:
            step = max(1, PAIRS_PER_CHUNK // k)
            retry = []
            for start in range(0, pending.size, step):
                pairs, unfinished = self._query(pending[start : start + step], k, want)
                found.append(pairs)
                retry.append(unfinished)
            pending = np.concatenate(retry)
            k = min(n_sup, 4 * k)
        return tuple(np.concatenate(cols) for cols in zip(*found, strict=True))  # type: ignore[return-value]

    def _query(
        self, rows: NDArray[np.int64], k: int, want: NDArray[np.int64] | None
    ) -> tuple[Pairs, NDArray[np.int64]]:
        chord, idx = self.tree.query(
            self.reqs.xy[rows], k=k, distance_upper_bound=self.bound, workers=-1
        )
        chord, idx = chord.reshape(rows.size, k), idx.reshape(rows.size, k)
        local, col = np.nonzero(idx < self.sup_rows.size)
        r, s, d = rows[local], self.sup_rows[idx[local, col]], arc_km(chord[local, col])
        pair_stage = self._stages(r, s, d)
        np.maximum.at(self.stage, r, pair_stage)
        eligible = np.flatnonzero(pair_stage == STAGE_ELIGIBLE)
        done = (k >= self.sup_rows.size) | (idx[:, -1] >= self.sup_rows.size)
        if want is not None:
            counts = np.bincount(local[eligible], minlength=rows.size)
            truncated = (counts > want[rows]) | (~done & (counts >= want[rows]))
            first = np.searchsorted(local[eligible], local[eligible])
            eligible = eligible[np.arange(eligible.size) - first < want[rows][local[eligible]]]
            last = np.zeros(rows.size, dtype=np.float64)
            np.maximum.at(last, local[eligible], d[eligible])
            self.reach[rows[truncated]] = np.rint(last[truncated] * 1000.0).astype(np.int64)
            done |= truncated
        eligible = eligible[done[local[eligible]]]
        return (r[eligible], s[eligible], d[eligible]), rows[~done]

    def _stages(
        self, r: NDArray[np.int64], s: NDArray[np.int64], d: NDArray[np.float64]
    ) -> NDArray[np.int8]:
        stage = np.ones(r.size, dtype=np.int8)
        alive = np.arange(r.size)
        for test in self.tests:
            alive = alive[test(r[alive], s[alive], d[alive])]
            stage[alive] += 1
        return stage
