"""Instant proposals and the greedy baseline, on a prebuilt per-category KD-tree index."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from .arrays import (
    RequestArrays,
    SupplyArrays,
    Vocabulary,
    arc_km,
    build_instance,
    chord_km,
    overlaps,
    request_arrays,
    supply_arrays,
)
from .candidates import RADIUS_EPS_KM, find_candidates
from .model import Assignment, BlockedPairs, MatchResult, Request, Supply
from .solve import result_from_pairs
from .validate import request_problem, split_valid

FIRST_K = 8


@dataclass
class _CategoryTree:
    rows: NDArray[np.int64]
    tree: cKDTree
    max_radius: float
    bound: float
    exhausted: int = 0


class SupplyIndex:
    """Supplies indexed once for fast nearest-eligible queries with remaining capacity.

    One KD-tree per category over the supplies that still have capacity. ``consume`` books
    capacity; a category's tree is rebuilt once half of its supplies are exhausted, so
    searches never wade through long runs of full supplies.
    """

    def __init__(
        self,
        supplies: SupplyArrays,
        vocabulary: Vocabulary,
        blocked: BlockedPairs = frozenset(),
    ) -> None:
        self.supplies, self.vocabulary = supplies, vocabulary
        self.remaining = supplies.capacity.copy()
        self._row_of = {int(i): row for row, i in enumerate(supplies.ids)}
        by_request: dict[int, list[int]] = defaultdict(list)
        for request_id, supply_id in blocked:
            by_request[request_id].append(supply_id)
        self._blocked = {r: np.array(sorted(s), dtype=np.int64) for r, s in by_request.items()}
        self._trees = {
            c: tree
            for c in range(len(vocabulary.categories))
            if (tree := self._build_tree(c)) is not None
        }

    @classmethod
    def build(cls, supplies: Sequence[Supply], blocked: BlockedPairs = frozenset()) -> SupplyIndex:
        """Index the valid supplies (invalid rows are skipped, see ``validate``)."""
        _, valid, _rejected = split_valid([], supplies)
        ordered = sorted(valid, key=lambda s: s.id)
        vocab = Vocabulary.of([], ordered)
        return cls(supply_arrays(ordered, vocab), vocab, blocked)

    def consume(self, supply_id: int, amount: int = 1) -> None:
        """Book ``amount`` units of a supply's capacity (e.g. after an accepted proposal)."""
        row = self._row_of[supply_id]
        if amount > self.remaining[row]:
            raise ValueError(f"supply {supply_id} has only {self.remaining[row]} left")
        self.remaining[row] -= amount
        if self.remaining[row] == 0:
            self._note_exhausted(row)

    def nearest(
        self, reqs: RequestArrays, row: int, extra_blocked: NDArray[np.int64] | None = None
    ) -> tuple[int, float] | None:
        """Supply row and distance of the nearest eligible supply with capacity left.

        Ties in distance go to the smallest supply id.
        """
        tree = self._trees.get(int(reqs.category[row]))
        if tree is None:
            return None
        blocked = self._blocked.get(int(reqs.ids[row]))
        if extra_blocked is not None and extra_blocked.size:
            blocked = extra_blocked if blocked is None else np.union1d(blocked, extra_blocked)
        point, n = reqs.xy[row], tree.rows.size
        k = min(FIRST_K, n)
        while True:
            chord, idx = tree.tree.query(point, k=k, distance_upper_bound=tree.bound)
            chord, idx = np.atleast_1d(chord), np.atleast_1d(idx)
            found = idx < n
            rows, dist = tree.rows[idx[found]], arc_km(chord[found])
            ok = np.flatnonzero(self._eligible(reqs, row, rows, dist, blocked))
            exhausted = k >= n or not found[-1]
            if ok.size and (exhausted or dist[ok[0]] < dist[-1]):
                best = ok[dist[ok] == dist[ok[0]]]
                pick = best[np.argmin(self.supplies.ids[rows[best]])]
                return int(rows[pick]), float(dist[pick])
            if exhausted:
                return None
            k = min(n, 4 * k)

    def _eligible(
        self,
        reqs: RequestArrays,
        row: int,
        rows: NDArray[np.int64],
        dist: NDArray[np.float64],
        blocked: NDArray[np.int64] | None,
    ) -> NDArray[np.bool_]:
        sups = self.supplies
        ok = (self.remaining[rows] > 0) & (dist <= sups.radius_km[rows] + RADIUS_EPS_KM)
        ok &= overlaps(reqs.window_bits[row][None, :], sups.availability_bits[rows])
        if not reqs.lang_any[row]:
            ok &= overlaps(reqs.lang_bits[row][None, :], sups.lang_bits[rows])
        if blocked is not None:
            ok &= ~np.isin(sups.ids[rows], blocked)
        return ok

    def _build_tree(self, category: int) -> _CategoryTree | None:
        word, bit = divmod(category, 64)
        offers = np.bitwise_and(
            self.supplies.category_bits[:, word], np.left_shift(np.uint64(1), np.uint64(bit))
        )
        rows = np.flatnonzero((offers != 0) & (self.remaining > 0))
        if rows.size == 0:
            return None
        max_radius = float(self.supplies.radius_km[rows].max()) + RADIUS_EPS_KM
        bound = chord_km(max_radius) * (1 + 1e-12) + 1e-12
        return _CategoryTree(rows, cKDTree(self.supplies.xy[rows]), max_radius, bound)

    def _note_exhausted(self, row: int) -> None:
        bits = self.supplies.category_bits[row]
        for category, tree in list(self._trees.items()):
            word, bit = divmod(category, 64)
            if not (int(bits[word]) >> bit) & 1:
                continue
            tree.exhausted += 1
            if 2 * tree.exhausted >= tree.rows.size:
                rebuilt = self._build_tree(category)
                if rebuilt is None:
                    del self._trees[category]
                else:
                    self._trees[category] = rebuilt


def propose_instant(
    request: Request, index: SupplyIndex, *, blocked: BlockedPairs = frozenset()
) -> Assignment | None:
    """Nearest eligible supply with remaining capacity, or ``None``; does not book it.

    ``blocked`` adds per-call blocked pairs on top of those the index was built with.
    An invalid request (see ``validate.request_problem``) gets no proposal.
    """
    if request_problem(request) is not None:
        return None
    reqs = request_arrays(split_valid([request], [])[0], index.vocabulary)
    extra = np.array(sorted(s for r, s in blocked if r == request.id), dtype=np.int64)
    hit = index.nearest(reqs, 0, extra_blocked=extra)
    if hit is None:
        return None
    return Assignment(request.id, int(index.supplies.ids[hit[0]]), hit[1])


def greedy_nearest(
    requests: Sequence[Request],
    supplies: Sequence[Supply],
    *,
    blocked: BlockedPairs = frozenset(),
) -> MatchResult:
    """Baseline: by urgency (then id), give each request its nearest eligible free supply."""
    instance = build_instance(requests, supplies, blocked)
    index = SupplyIndex(instance.supplies, instance.vocabulary, blocked)
    reqs = instance.requests
    order = np.lexsort((reqs.ids, -reqs.urgency))
    pairs: list[tuple[int, int, float]] = []
    for row in order:
        hit = index.nearest(reqs, int(row))
        if hit is not None:
            index.consume(int(instance.supplies.ids[hit[0]]))
            pairs.append((int(row), hit[0], hit[1]))
    table = np.array(pairs, dtype=np.float64).reshape(-1, 3)
    req, sup = table[:, 0].astype(np.int64), table[:, 1].astype(np.int64)
    stages = find_candidates(instance, max_candidates=1)
    return result_from_pairs(instance, req, sup, table[:, 2], stages)
