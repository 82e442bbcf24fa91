"""The engine's exact mode against an independent optimum, co-located requests, invalid
rows and distances across cities (issue 18)."""

from __future__ import annotations

import importlib.util
import math
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings

from entraide.matching.engine import (
    Request,
    Supply,
    SupplyIndex,
    evaluate,
    greedy_nearest,
    propose_instant,
    solve,
    solve_tiled,
)

from .helpers import LAT0, LON0, assert_feasible, haversine_km, instances, metres_of

BENCH = Path(__file__).resolve().parents[2] / "bench" / "matching.py"
FOOD = frozenset({"food"})
KM_LAT = 1 / 111.2


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_matching_exact", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def cumulative(served_by_urgency: tuple[int, ...]) -> list[int]:
    """Served at level >= u, for u = critical .. low."""
    return [sum(served_by_urgency[u:]) for u in (3, 2, 1, 0)]


def test_co_located_critical_requests_are_all_served() -> None:
    rng = random.Random(4)
    requests = [Request(i, LAT0, LON0, "food", urgency=3) for i in range(100)]
    supplies = [
        Supply(
            1000 + j,
            LAT0 + rng.uniform(-1, 1) * KM_LAT,
            LON0 + rng.uniform(-1, 1) * KM_LAT * 1.5,
            5.0,
            FOOD,
        )
        for j in range(100)
    ]
    for result in (
        solve(requests, supplies),
        solve(requests, supplies, certify=False),
        solve_tiled(requests, supplies, workers=1),
        greedy_nearest(requests, supplies),
    ):
        assert evaluate(result, requests).served == 100
        assert result.unmatched == {}
        assert_feasible(result, requests, supplies)
    assert solve(requests, supplies).certified


def test_tight_instance_that_a_candidate_limit_used_to_cut_short() -> None:
    # 30 requests a few metres apart (not co-located): each one's 5 nearest volunteers
    # are the same 5, so a graph pruned at 5 candidates served only 5 of them.
    requests = [Request(i, LAT0 + i * 1e-5, LON0, "food", urgency=i % 4) for i in range(30)]
    supplies = [
        Supply(100 + j, LAT0 + (0.1 + 0.02 * j) * KM_LAT, LON0, 3.0, FOOD) for j in range(30)
    ]
    result = solve(requests, supplies, max_candidates=5)
    assert result.certified
    assert evaluate(result, requests).served == 30
    assert_feasible(result, requests, supplies)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("capacity", [1, 2])
def test_exact_mode_equals_the_independent_optimum(
    bench: ModuleType, seed: int, capacity: int
) -> None:
    if not bench.POSTCODES.exists():
        pytest.skip("La Poste postcode file not available")
    requests, supplies = bench.make_city(400, 200 // capacity, capacity=capacity, seed=seed)
    served, metres = bench.oracle(requests, supplies)
    for max_candidates in (1, 4, 24):
        result = solve(requests, supplies, max_candidates=max_candidates)
        assert result.certified
        assert evaluate(result, requests).served_by_urgency == served
        assert metres_of(result) == metres


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_exact_mode_with_ties_and_co_located_points(bench: ModuleType, seed: int) -> None:
    """Points snapped to a coarse grid: many requests share a point, many distances tie."""
    rng = random.Random(seed)
    grid = [(LAT0 + a * 0.004, LON0 + b * 0.006) for a in range(3) for b in range(3)]
    requests = [
        Request(i, *rng.choice(grid), rng.choice(["food", "meds"]), urgency=rng.randrange(4))
        for i in range(120)
    ]
    supplies = [
        Supply(
            500 + j,
            *rng.choice(grid),
            rng.choice([0.3, 0.6, 1.0]),
            frozenset(rng.sample(["food", "meds"], rng.randint(1, 2))),
            capacity=rng.randint(0, 3),
        )
        for j in range(40)
    ]
    blocked = {(r.id, s.id) for r in requests[:10] for s in supplies[:5]}
    served, metres = bench.oracle(requests, supplies, blocked)
    for max_candidates in (1, 3, 24):
        result = solve(requests, supplies, blocked=blocked, max_candidates=max_candidates)
        assert result.certified
        assert evaluate(result, requests).served_by_urgency == served
        assert metres_of(result) == metres
        assert_feasible(result, requests, supplies, blocked)


@settings(max_examples=80, deadline=None)
@given(instances(max_requests=25, max_supplies=10))
def test_never_fewer_served_than_greedy_at_any_urgency_level(case) -> None:
    """Per level, counting the levels above it: the optimum serves the most critical
    requests, then the most critical-or-high ones, and so on."""
    requests, supplies, blocked = case
    greedy = evaluate(greedy_nearest(requests, supplies, blocked=blocked), requests)
    for result in (
        solve(requests, supplies, blocked=blocked, max_candidates=1),
        solve(requests, supplies, blocked=blocked),
    ):
        best = evaluate(result, requests)
        assert all(
            b >= g
            for b, g in zip(
                cumulative(best.served_by_urgency),
                cumulative(greedy.served_by_urgency),
                strict=True,
            )
        )
        assert best.served_by_urgency[3] >= greedy.served_by_urgency[3]
        assert best.served >= greedy.served


def test_bench_city_never_below_greedy_per_level(bench: ModuleType) -> None:
    if not bench.POSTCODES.exists():
        pytest.skip("La Poste postcode file not available")
    for capacity in (1, 2):
        requests, supplies = bench.make_city(1500, 1500 // (capacity + 1), capacity, seed=7)
        greedy = evaluate(greedy_nearest(requests, supplies), requests)
        exact = evaluate(solve(requests, supplies), requests)
        assert all(
            b >= g
            for b, g in zip(
                cumulative(exact.served_by_urgency),
                cumulative(greedy.served_by_urgency),
                strict=True,
            )
        )


def test_invalid_rows_are_skipped_and_reported_not_fatal() -> None:
    good = Request(1, LAT0, LON0, "food", urgency=3)
    requests = [
        good,
        Request(2, float("nan"), LON0, "food"),
        Request(3, 200.0, LON0, "food"),
        Request(4, LAT0, float("inf"), "food"),
        Request(5, LAT0, -181.0, "food"),
        Request(6, LAT0, LON0, "food", urgency=1.5),  # type: ignore[arg-type]
        Request(7, LAT0, LON0, "food", urgency=4),
        Request(8, LAT0, LON0, "food", window_start=5, window_end=5),
        Request(9, LAT0, LON0, "food", urgency=2.0),  # type: ignore[arg-type]
        Request(10, LAT0, LON0, "food"),
        Request(10, LAT0, LON0, "food"),
    ]
    supplies = [
        Supply(1, LAT0, LON0, 2.0, FOOD, capacity=3),
        Supply(2, LAT0, LON0, float("nan"), FOOD),
        Supply(3, LAT0, LON0, -1.0, FOOD),
        Supply(4, LAT0, LON0, 2.0, FOOD, capacity=1.5),  # type: ignore[arg-type]
        Supply(5, 95.0, LON0, 2.0, FOOD),
        Supply(6, LAT0, LON0, 2.0, FOOD, capacity=-1),
        Supply(7, LAT0, LON0, 2.0, FOOD, availability=frozenset({200})),
    ]
    for result in (
        solve(requests, supplies),
        greedy_nearest(requests, supplies),
        solve_tiled(requests, supplies, workers=1),
    ):
        reasons = {(row.kind, row.id): row.reason for row in result.rejected}
        assert reasons == {
            ("request", 2): "latitude is not a finite number",
            ("request", 3): "latitude is outside [-90, 90]",
            ("request", 4): "longitude is not a finite number",
            ("request", 5): "longitude is outside [-180, 180]",
            ("request", 6): "urgency 1.5 is not a whole number",
            ("request", 7): "unknown urgency 4 (expected 0..3)",
            ("request", 8): "invalid window [5, 5) (1 to 168 hours from slot >= 0)",
            ("request", 10): "duplicate request id",
            ("supply", 2): "radius_km nan is not a finite number",
            ("supply", 3): "radius_km -1.0 is negative",
            ("supply", 4): "capacity 1.5 is not a whole number",
            ("supply", 5): "latitude is outside [-90, 90]",
            ("supply", 6): "capacity -1 is negative",
            ("supply", 7): "availability slots must be whole hours in 0..167",
        }
        # The valid rows are matched as if the bad ones were not there.
        assert {a.request_id for a in result.assignments} == {1, 9}
        assert {a.supply_id for a in result.assignments} == {1}
        assert set(result.unmatched).isdisjoint(
            {row.id for row in result.rejected if row.kind == "request"}
        )
    index = SupplyIndex.build(supplies)
    assert propose_instant(good, index).supply_id == 1
    assert propose_instant(requests[1], index) is None


def test_distances_are_great_circle_in_a_batch_spanning_lille_and_marseille() -> None:
    lille, marseille = (50.6292, 3.0573), (43.2965, 5.3698)
    km_per_deg_lon = 111.2 * math.cos(math.radians(lille[0]))
    requests = [
        # 4.8 km east of the Lille volunteer: inside its 5 km radius. A projection around
        # the batch's mean latitude (about 47°) would stretch it to about 5.15 km.
        Request(1, lille[0], lille[1] + 4.8 / km_per_deg_lon, "food"),
        Request(2, marseille[0] + 3.0 * KM_LAT, marseille[1], "food"),
    ]
    supplies = [
        Supply(10, *lille, 5.0, FOOD),
        Supply(20, *marseille, 5.0, FOOD),
    ]
    for result in (
        solve(requests, supplies),
        greedy_nearest(requests, supplies),
        solve_tiled(requests, supplies, workers=1),
    ):
        pairs = {a.request_id: a for a in result.assignments}
        assert pairs[1].supply_id == 10 and pairs[2].supply_id == 20
        for a in result.assignments:
            r = requests[a.request_id - 1]
            s = supplies[0] if a.supply_id == 10 else supplies[1]
            assert a.distance_km == pytest.approx(
                haversine_km(r.lat, r.lon, s.lat, s.lon), rel=1e-9
            )
    hit = propose_instant(requests[0], SupplyIndex.build(supplies))
    assert hit is not None and hit.supply_id == 10
