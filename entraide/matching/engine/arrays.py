"""Columnar (NumPy) view of requests and supplies, shared by every solver.

Sets (categories, languages, hour slots) become fixed-width bitsets of ``uint64`` words so
that eligibility of millions of candidate pairs is a handful of vectorised ``&`` operations.
Coordinates become Earth-centred 3-D points (``xy``, kilometres): chord distances order
neighbours exactly and convert to great-circle distances, with no projection to go wrong
when one batch spans several cities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Self

import numpy as np
from numpy.typing import NDArray

from .model import HOURS_PER_WEEK, BlockedPairs, Rejected, Request, Supply
from .validate import split_valid

EARTH_RADIUS_KM = 6371.0088
WINDOW_WORDS = (HOURS_PER_WEEK + 63) // 64


def points(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
    """Points on the sphere of radius ``EARTH_RADIUS_KM`` (Earth-centred, kilometres).

    There is no projection: the straight (chord) distance between two points grows with
    their great-circle distance, so KD-trees on these points find the true nearest
    neighbours anywhere (a batch spanning Lille and Marseille included), and
    ``arc_km(chord)`` is the exact great-circle (haversine) distance.
    """
    la = np.radians(np.asarray(lat, dtype=np.float64))
    lo = np.radians(np.asarray(lon, dtype=np.float64))
    if not la.size:
        return np.zeros((0, 3))
    cos_la = np.cos(la)
    return EARTH_RADIUS_KM * np.column_stack([cos_la * np.cos(lo), cos_la * np.sin(lo), np.sin(la)])


def arc_km(chord: NDArray[np.float64]) -> NDArray[np.float64]:
    """Great-circle distance of a chord (both in km)."""
    ratio = np.clip(np.asarray(chord, dtype=np.float64) / (2 * EARTH_RADIUS_KM), 0.0, 1.0)
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(ratio), dtype=np.float64)


def chord_km(arc: float) -> float:
    """Chord of a great-circle distance (the KD-tree search bound for a radius)."""
    half_angle = min(float(arc), np.pi * EARTH_RADIUS_KM) / (2 * EARTH_RADIUS_KM)
    return float(2 * EARTH_RADIUS_KM * np.sin(half_angle))


def tangent_frame(xyz: NDArray[np.float64]) -> NDArray[np.float64]:
    """Two orthonormal (east, north) axes of the plane tangent at the points' mean.

    Only the large-scale mode uses it, to cut tiles; a point's coordinate along an axis
    differs from another's by at most their chord, so cut distances are safe bounds.
    """
    centre = xyz.mean(axis=0) if xyz.size else np.array([1.0, 0.0, 0.0])
    norm = float(np.linalg.norm(centre))
    up = centre / norm if norm > 0 else np.array([1.0, 0.0, 0.0])
    east = np.cross([0.0, 0.0, 1.0], up)
    if np.linalg.norm(east) < 1e-9:
        east = np.array([0.0, 1.0, 0.0])
    east = east / np.linalg.norm(east)
    north = np.cross(up, east)
    return np.asarray(np.vstack([east, north]), dtype=np.float64)


def bitsets(members: Sequence[Sequence[int]], n_bits: int) -> NDArray[np.uint64]:
    """One row of ``ceil(n_bits/64)`` words per entry, bit ``i`` set for each member ``i``."""
    words = max(1, (n_bits + 63) // 64)
    out = np.zeros((len(members), words), dtype=np.uint64)
    lengths = np.fromiter((len(m) for m in members), dtype=np.int64, count=len(members))
    if lengths.sum() == 0:
        return out
    rows = np.repeat(np.arange(len(members)), lengths)
    cols = np.fromiter((c for m in members for c in m), dtype=np.int64, count=int(lengths.sum()))
    bits = np.left_shift(np.uint64(1), (cols % 64).astype(np.uint64))
    np.bitwise_or.at(out, (rows, cols // 64), bits)
    return out


def window_bitsets(start: NDArray[np.int64], end: NDArray[np.int64]) -> NDArray[np.uint64]:
    """Bitsets of the hour slots in each half-open window, wrapping around the week."""
    lengths = end - start
    rows = np.repeat(np.arange(start.size), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    slots = (np.repeat(start, lengths) + offsets) % HOURS_PER_WEEK
    out = np.zeros((start.size, WINDOW_WORDS), dtype=np.uint64)
    np.bitwise_or.at(
        out, (rows, slots // 64), np.left_shift(np.uint64(1), (slots % 64).astype(np.uint64))
    )
    return out


def overlaps(a: NDArray[np.uint64], b: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """Row-wise: do bitsets ``a[i]`` and ``b[i]`` share a bit?"""
    return np.asarray(np.bitwise_and(a, b).any(axis=1), dtype=np.bool_)


@dataclass(frozen=True)
class Vocabulary:
    categories: tuple[str, ...]
    languages: tuple[str, ...]

    @classmethod
    def of(cls, requests: Sequence[Request], supplies: Sequence[Supply]) -> Vocabulary:
        cats = {r.category for r in requests}.union(*(s.categories for s in supplies))
        langs = set().union(*(r.languages for r in requests), *(s.languages for s in supplies))
        return cls(tuple(sorted(cats)), tuple(sorted(langs)))


class _Columns:
    """Row subsetting shared by the two columnar containers (both dataclasses)."""

    ids: NDArray[np.int64]

    def take(self, rows: NDArray[np.int64]) -> Self:
        columns = fields(self)  # type: ignore[arg-type]
        return type(self)(**{f.name: getattr(self, f.name)[rows] for f in columns})

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class RequestArrays(_Columns):
    """``pos`` is each row's position in the full instance (used for blocked pairs)."""

    ids: NDArray[np.int64]
    pos: NDArray[np.int64]
    xy: NDArray[np.float64]
    category: NDArray[np.int64]
    urgency: NDArray[np.int64]
    lang_any: NDArray[np.bool_]
    lang_bits: NDArray[np.uint64]
    window_bits: NDArray[np.uint64]


@dataclass(frozen=True)
class SupplyArrays(_Columns):
    ids: NDArray[np.int64]
    pos: NDArray[np.int64]
    xy: NDArray[np.float64]
    radius_km: NDArray[np.float64]
    category_bits: NDArray[np.uint64]
    lang_bits: NDArray[np.uint64]
    availability_bits: NDArray[np.uint64]
    capacity: NDArray[np.int64]


@dataclass(frozen=True)
class Instance:
    """Requests and supplies sorted by id, projected, plus blocked pairs as position codes."""

    requests: RequestArrays
    supplies: SupplyArrays
    vocabulary: Vocabulary
    blocked_codes: NDArray[np.int64]
    rejected: tuple[Rejected, ...] = ()
    block_stride: int = 0
    """For a sub-instance (rows taken from a larger one): the larger one's stride."""

    @property
    def stride(self) -> int:
        """Blocked pair ``(request pos, supply pos)`` is encoded as ``r * stride + s``."""
        return self.block_stride or max(1, len(self.supplies))


def request_arrays(requests: Sequence[Request], vocab: Vocabulary) -> RequestArrays:
    cat_index = {c: i for i, c in enumerate(vocab.categories)}
    lang_index = {lang: i for i, lang in enumerate(vocab.languages)}
    n = len(requests)
    start = np.fromiter((r.window_start for r in requests), dtype=np.int64, count=n)
    end = np.fromiter((r.window_end for r in requests), dtype=np.int64, count=n)
    langs = [[lang_index[x] for x in r.languages if x in lang_index] for r in requests]
    return RequestArrays(
        ids=np.fromiter((r.id for r in requests), dtype=np.int64, count=n),
        pos=np.arange(n, dtype=np.int64),
        xy=points(
            np.fromiter((r.lat for r in requests), dtype=np.float64, count=n),
            np.fromiter((r.lon for r in requests), dtype=np.float64, count=n),
        ),
        category=np.fromiter((cat_index.get(r.category, -1) for r in requests), np.int64, n),
        urgency=np.fromiter((r.urgency for r in requests), dtype=np.int64, count=n),
        lang_any=np.fromiter((not r.languages for r in requests), dtype=np.bool_, count=n),
        lang_bits=bitsets(langs, len(vocab.languages)),
        window_bits=window_bitsets(start, end),
    )


def supply_arrays(supplies: Sequence[Supply], vocab: Vocabulary) -> SupplyArrays:
    cat_index = {c: i for i, c in enumerate(vocab.categories)}
    lang_index = {lang: i for i, lang in enumerate(vocab.languages)}
    n = len(supplies)
    return SupplyArrays(
        ids=np.fromiter((s.id for s in supplies), dtype=np.int64, count=n),
        pos=np.arange(n, dtype=np.int64),
        xy=points(
            np.fromiter((s.lat for s in supplies), dtype=np.float64, count=n),
            np.fromiter((s.lon for s in supplies), dtype=np.float64, count=n),
        ),
        radius_km=np.fromiter((s.radius_km for s in supplies), dtype=np.float64, count=n),
        category_bits=bitsets(
            [[cat_index[c] for c in s.categories] for s in supplies], len(vocab.categories)
        ),
        lang_bits=bitsets(
            [[lang_index[x] for x in s.languages] for s in supplies], len(vocab.languages)
        ),
        availability_bits=bitsets([sorted(s.availability) for s in supplies], HOURS_PER_WEEK),
        capacity=np.fromiter((s.capacity for s in supplies), dtype=np.int64, count=n),
    )


def build_instance(
    requests: Sequence[Request],
    supplies: Sequence[Supply],
    blocked: BlockedPairs = frozenset(),
) -> Instance:
    """Validate (invalid rows are skipped and listed in ``rejected``), sort by id (so the
    output never depends on input order) and go columnar."""
    valid_requests, valid_supplies, rejected = split_valid(requests, supplies)
    reqs = sorted(valid_requests, key=lambda r: r.id)
    sups = sorted(valid_supplies, key=lambda s: s.id)
    vocab = Vocabulary.of(reqs, sups)
    req_arrays = request_arrays(reqs, vocab)
    sup_arrays = supply_arrays(sups, vocab)
    codes = blocked_codes(blocked, req_arrays.ids, sup_arrays.ids)
    return Instance(req_arrays, sup_arrays, vocab, codes, rejected)


def blocked_codes(
    blocked: BlockedPairs, request_ids: NDArray[np.int64], supply_ids: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Sorted ``r * stride + s`` position codes of blocked pairs (ids are sorted arrays)."""
    if not blocked:
        return np.zeros(0, dtype=np.int64)
    pairs = np.array(sorted(blocked), dtype=np.int64).reshape(-1, 2)
    r = np.searchsorted(request_ids, pairs[:, 0])
    s = np.searchsorted(supply_ids, pairs[:, 1])
    known = (r < request_ids.size) & (s < supply_ids.size)
    known[known] &= (request_ids[r[known]] == pairs[known, 0]) & (
        supply_ids[s[known]] == pairs[known, 1]
    )
    return np.unique(r[known] * max(1, supply_ids.size) + s[known])
