"""Columnar (NumPy) view of requests and supplies, shared by every solver.

Sets (categories, languages, hour slots) become fixed-width bitsets of ``uint64`` words so
that eligibility of millions of candidate pairs is a handful of vectorised ``&`` operations.
Coordinates are projected once, equirectangularly around the instance's mean latitude, so
Euclidean distances on ``xy`` are kilometres (error well under 0.1 % at city scale).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Self

import numpy as np
from numpy.typing import NDArray

from .model import HOURS_PER_WEEK, BlockedPairs, Request, Supply

EARTH_RADIUS_KM = 6371.0088
WINDOW_WORDS = (HOURS_PER_WEEK + 63) // 64


@dataclass(frozen=True)
class Projection:
    """Equirectangular projection around a reference latitude, output in kilometres."""

    lat0_deg: float

    def xy(self, lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
        scale = EARTH_RADIUS_KM * np.pi / 180.0
        x = np.asarray(lon, dtype=np.float64) * scale * np.cos(np.radians(self.lat0_deg))
        y = np.asarray(lat, dtype=np.float64) * scale
        return np.column_stack([x, y]) if x.size else np.zeros((0, 2))

    @classmethod
    def around(cls, lats: Iterable[float]) -> Projection:
        values = np.fromiter(lats, dtype=np.float64)
        return cls(float(values.mean()) if values.size else 0.0)


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
    projection: Projection
    blocked_codes: NDArray[np.int64]

    @property
    def stride(self) -> int:
        """Blocked pair ``(request pos, supply pos)`` is encoded as ``r * stride + s``."""
        return max(1, len(self.supplies))


def request_arrays(
    requests: Sequence[Request], vocab: Vocabulary, projection: Projection
) -> RequestArrays:
    cat_index = {c: i for i, c in enumerate(vocab.categories)}
    lang_index = {lang: i for i, lang in enumerate(vocab.languages)}
    n = len(requests)
    start = np.fromiter((r.window_start for r in requests), dtype=np.int64, count=n)
    end = np.fromiter((r.window_end for r in requests), dtype=np.int64, count=n)
    langs = [[lang_index[x] for x in r.languages if x in lang_index] for r in requests]
    return RequestArrays(
        ids=np.fromiter((r.id for r in requests), dtype=np.int64, count=n),
        pos=np.arange(n, dtype=np.int64),
        xy=projection.xy(
            np.fromiter((r.lat for r in requests), dtype=np.float64, count=n),
            np.fromiter((r.lon for r in requests), dtype=np.float64, count=n),
        ),
        category=np.fromiter((cat_index.get(r.category, -1) for r in requests), np.int64, n),
        urgency=np.fromiter((r.urgency for r in requests), dtype=np.int64, count=n),
        lang_any=np.fromiter((not r.languages for r in requests), dtype=np.bool_, count=n),
        lang_bits=bitsets(langs, len(vocab.languages)),
        window_bits=window_bitsets(start, end),
    )


def supply_arrays(
    supplies: Sequence[Supply], vocab: Vocabulary, projection: Projection
) -> SupplyArrays:
    cat_index = {c: i for i, c in enumerate(vocab.categories)}
    lang_index = {lang: i for i, lang in enumerate(vocab.languages)}
    n = len(supplies)
    return SupplyArrays(
        ids=np.fromiter((s.id for s in supplies), dtype=np.int64, count=n),
        pos=np.arange(n, dtype=np.int64),
        xy=projection.xy(
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
    """Sort by id (so the output never depends on input order) and go columnar."""
    reqs = sorted(requests, key=lambda r: r.id)
    sups = sorted(supplies, key=lambda s: s.id)
    _check_unique_ids(reqs, sups)
    vocab = Vocabulary.of(reqs, sups)
    projection = Projection.around([r.lat for r in reqs] + [s.lat for s in sups])
    req_arrays = request_arrays(reqs, vocab, projection)
    sup_arrays = supply_arrays(sups, vocab, projection)
    codes = blocked_codes(blocked, req_arrays.ids, sup_arrays.ids)
    return Instance(req_arrays, sup_arrays, vocab, projection, codes)


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


def _check_unique_ids(requests: Sequence[Request], supplies: Sequence[Supply]) -> None:
    for name, items in (("request", requests), ("supply", supplies)):
        ids = [item.id for item in items]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate {name} ids")
