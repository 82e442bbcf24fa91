"""Shared strategies and independent checkers for the matching engine tests."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from hypothesis import strategies as st

from entraide.matching.engine import (
    HOURS_PER_WEEK,
    MatchResult,
    Objective,
    Request,
    Supply,
)
from entraide.matching.engine.arrays import arc_km, build_instance

LAT0, LON0 = 48.8566, 2.3522
CATEGORIES = ("food", "meds")
LANGUAGES = ("fr", "en", "ar")
SLOTS = 6


def haversine_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def window_slots(request: Request) -> set[int]:
    return {t % HOURS_PER_WEEK for t in range(request.window_start, request.window_end)}


def compatible(request: Request, supply: Supply, km: float, blocked: set) -> bool:
    """Every hard constraint except capacity, checked independently of the engine."""
    return (
        request.category in supply.categories
        and km <= supply.radius_km * (1 + 1e-3) + 1e-6
        and (not request.languages or bool(request.languages & supply.languages))
        and bool(window_slots(request) & supply.availability)
        and (request.id, supply.id) not in blocked
    )


def assert_feasible(
    result: MatchResult,
    requests: Sequence[Request],
    supplies: Sequence[Supply],
    blocked: set | frozenset = frozenset(),
) -> None:
    req_by_id = {r.id: r for r in requests}
    sup_by_id = {s.id: s for s in supplies}
    served = [a.request_id for a in result.assignments]
    assert len(served) == len(set(served)), "a request is served twice"
    assert set(served).isdisjoint(result.unmatched)
    assert set(served) | set(result.unmatched) == set(req_by_id)
    for a in result.assignments:
        r, s = req_by_id[a.request_id], sup_by_id[a.supply_id]
        km = haversine_km(r.lat, r.lon, s.lat, s.lon)
        assert math.isclose(a.distance_km, km, rel_tol=1e-3, abs_tol=1e-6)
        assert compatible(r, s, km, set(blocked)), f"infeasible pair {a}"
    load = Counter(a.supply_id for a in result.assignments)
    assert all(load[s] <= sup_by_id[s].capacity for s in load), "capacity exceeded"


def engine_distances(requests: Sequence[Request], supplies: Sequence[Supply]) -> np.ndarray:
    """Great-circle distances exactly as the engine computes them, indexed like the inputs."""
    inst = build_instance(requests, supplies)
    req_row = {int(i): k for k, i in enumerate(inst.requests.ids)}
    sup_row = {int(i): k for k, i in enumerate(inst.supplies.ids)}
    diff = inst.requests.xy[:, None, :] - inst.supplies.xy[None, :, :]
    full = arc_km(np.sqrt((diff**2).sum(axis=2)))
    rows = [req_row[r.id] for r in requests]
    cols = [sup_row[s.id] for s in supplies]
    return full[np.ix_(rows, cols)] if rows and cols else np.zeros((len(rows), len(cols)))


def brute_force(
    requests: Sequence[Request], supplies: Sequence[Supply], blocked: set | frozenset
) -> tuple[tuple[int, ...], int]:
    """Best (served per urgency, most urgent first) and its metres, by enumeration."""
    dist = engine_distances(requests, supplies)
    options = [
        [None]
        + [
            j
            for j, s in enumerate(supplies)
            if compatible(r, s, dist[i, j], set(blocked)) and dist[i, j] <= s.radius_km + 1e-9
        ]
        for i, r in enumerate(requests)
    ]
    best: tuple[tuple[int, ...], int] | None = None
    for choice in itertools.product(*options):
        load = Counter(j for j in choice if j is not None)
        if any(load[j] > supplies[j].capacity for j in load):
            continue
        served = [0, 0, 0, 0]
        metres = 0
        for i, j in enumerate(choice):
            if j is not None:
                served[requests[i].urgency] += 1
                metres += int(np.rint(dist[i, j] * 1000))
        key = (tuple(reversed(served)), -metres)
        if best is None or key > (best[0], -best[1]):
            best = (key[0], metres)
    assert best is not None
    return best


def metres_of(result: MatchResult) -> int:
    return sum(int(np.rint(a.distance_km * 1000)) for a in result.assignments)


def urgent_first(objective: Objective) -> tuple[int, ...]:
    return tuple(reversed(objective.served_by_urgency))


@st.composite
def instances(
    draw: st.DrawFn, max_requests: int = 12, max_supplies: int = 8, max_capacity: int = 3
) -> tuple[list[Request], list[Supply], frozenset[tuple[int, int]]]:
    n_req = draw(st.integers(0, max_requests))
    n_sup = draw(st.integers(0, max_supplies))
    offset = st.floats(-0.02, 0.02, allow_nan=False)
    languages = st.frozensets(st.sampled_from(LANGUAGES), max_size=2)
    requests = []
    for i in range(n_req):
        start = draw(st.integers(0, SLOTS - 1))
        requests.append(
            Request(
                id=100 + i,
                lat=LAT0 + draw(offset),
                lon=LON0 + draw(offset),
                category=draw(st.sampled_from(CATEGORIES)),
                urgency=draw(st.integers(0, 3)),
                window_start=start,
                window_end=start + draw(st.integers(1, 3)),
                languages=draw(languages),
            )
        )
    supplies = [
        Supply(
            id=500 + j,
            lat=LAT0 + draw(offset),
            lon=LON0 + draw(offset),
            radius_km=draw(st.sampled_from([0.5, 1.0, 2.0, 4.0])),
            categories=draw(st.frozensets(st.sampled_from(CATEGORIES), min_size=1)),
            languages=draw(languages),
            availability=draw(st.frozensets(st.integers(0, SLOTS + 1), min_size=1)),
            capacity=draw(st.integers(0, max_capacity)),
        )
        for j in range(n_sup)
    ]
    pairs = [(r.id, s.id) for r in requests for s in supplies]
    blocked = (
        frozenset(draw(st.lists(st.sampled_from(pairs), max_size=3))) if pairs else frozenset()
    )
    return requests, supplies, blocked
