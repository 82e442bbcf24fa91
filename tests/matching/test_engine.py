"""Property and example tests of the pure matching engine (no database, no Django)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings

from entraide.matching.engine import (
    Assignment,
    MatchResult,
    Request,
    Supply,
    SupplyIndex,
    UnmatchedReason,
    evaluate,
    greedy_nearest,
    propose_instant,
    solve,
    solve_tiled,
)

from .helpers import (
    LAT0,
    LON0,
    assert_feasible,
    brute_force,
    compatible,
    engine_distances,
    instances,
    metres_of,
    urgent_first,
)

KM_LAT = 1 / 111.2


def north(km: float) -> float:
    return LAT0 + km * KM_LAT


@settings(max_examples=60, deadline=None)
@given(instances())
def test_solvers_respect_every_hard_constraint(case) -> None:
    requests, supplies, blocked = case
    for result in (
        solve(requests, supplies, blocked=blocked),
        solve(requests, supplies, blocked=blocked, max_candidates=1),
        greedy_nearest(requests, supplies, blocked=blocked),
        solve_tiled(requests, supplies, blocked=blocked, workers=1, grid=(2, 2)),
    ):
        assert_feasible(result, requests, supplies, blocked)


@settings(max_examples=60, deadline=None)
@given(instances(max_requests=5, max_supplies=3, max_capacity=2))
def test_solve_matches_brute_force_optimum(case) -> None:
    requests, supplies, blocked = case
    served, metres = brute_force(requests, supplies, blocked)
    for max_candidates in (None, 2):
        result = solve(requests, supplies, blocked=blocked, max_candidates=max_candidates)
        if max_candidates is None or len(supplies) <= max_candidates:
            assert urgent_first(evaluate(result, requests)) == served
            assert metres_of(result) == metres


@settings(max_examples=60, deadline=None)
@given(instances(max_requests=20, max_supplies=8))
def test_solve_never_worse_than_greedy(case) -> None:
    requests, supplies, blocked = case
    greedy = evaluate(greedy_nearest(requests, supplies, blocked=blocked), requests)
    for max_candidates in (None, 24):
        best = evaluate(
            solve(requests, supplies, blocked=blocked, max_candidates=max_candidates), requests
        )
        assert best.served >= greedy.served
        assert urgent_first(best) >= urgent_first(greedy)
        if urgent_first(best) == urgent_first(greedy):
            assert best.total_km <= greedy.total_km + 1e-3 * max(1, best.served)


@settings(max_examples=30, deadline=None)
@given(instances(max_requests=15, max_supplies=8))
def test_results_are_deterministic_and_order_independent(case) -> None:
    requests, supplies, blocked = case
    first = solve(requests, supplies, blocked=blocked)
    assert solve(requests, supplies, blocked=blocked) == first
    shuffled_r, shuffled_s = requests[::-1], random.Random(7).sample(supplies, len(supplies))
    assert solve(shuffled_r, shuffled_s, blocked=blocked) == first
    tiled = solve_tiled(requests, supplies, blocked=blocked, workers=1, grid=(2, 1))
    assert solve_tiled(requests, supplies, blocked=blocked, workers=1, grid=(2, 1)) == tiled


@settings(max_examples=60, deadline=None)
@given(instances(max_requests=6, max_supplies=10))
def test_instant_proposal_is_nearest_eligible_with_capacity(case) -> None:
    requests, supplies, blocked = case
    index = SupplyIndex.build(supplies, blocked)
    for request in requests:
        proposal = propose_instant(request, index)
        dist = engine_distances([request], supplies)[0]
        eligible = [
            (dist[j], s.id)
            for j, s in enumerate(supplies)
            if s.capacity > 0
            and compatible(request, s, dist[j], set(blocked))
            and dist[j] <= s.radius_km + 1e-9
        ]
        if not eligible:
            assert proposal is None
            continue
        assert proposal is not None
        best_km, best_id = min(eligible)
        assert proposal.supply_id == best_id
        assert proposal.distance_km == pytest.approx(best_km, rel=1e-3)


def test_index_consume_moves_proposals_to_the_next_supply() -> None:
    supplies = [
        Supply(1, north(0.2), LON0, 2.0, frozenset({"food"}), capacity=1),
        Supply(2, north(0.5), LON0, 2.0, frozenset({"food"}), capacity=1),
    ]
    index = SupplyIndex.build(supplies)
    request = Request(7, LAT0, LON0, "food")
    assert propose_instant(request, index).supply_id == 1
    assert propose_instant(request, index, blocked={(7, 1)}).supply_id == 2
    index.consume(1)
    assert propose_instant(request, index).supply_id == 2
    index.consume(2)
    assert propose_instant(request, index) is None
    with pytest.raises(ValueError):
        index.consume(2)


def _reason(requests: list[Request], supplies: list[Supply], blocked=frozenset()) -> object:
    result = solve(requests, supplies, blocked=blocked)
    assert greedy_nearest(requests, supplies, blocked=blocked).unmatched == result.unmatched
    return result.unmatched.get(requests[0].id)


FOOD = frozenset({"food"})


@pytest.mark.parametrize(
    ("request_", "supply", "blocked", "reason"),
    [
        (Request(1, LAT0, LON0, "meds"), Supply(9, LAT0, LON0, 1, FOOD), (), "category"),
        (Request(1, north(3), LON0, "food"), Supply(9, LAT0, LON0, 1, FOOD), (), "radius"),
        (
            Request(1, LAT0, LON0, "food", languages=frozenset({"ar"})),
            Supply(9, LAT0, LON0, 1, FOOD, languages=frozenset({"fr"})),
            (),
            "language",
        ),
        (
            Request(1, LAT0, LON0, "food", window_start=10, window_end=12),
            Supply(9, LAT0, LON0, 1, FOOD, availability=frozenset({12, 13})),
            (),
            "availability",
        ),
        (Request(1, LAT0, LON0, "food"), Supply(9, LAT0, LON0, 1, FOOD), {(1, 9)}, "blocked"),
        (Request(1, LAT0, LON0, "food"), Supply(9, LAT0, LON0, 1, FOOD, capacity=0), (), "full"),
    ],
)
def test_unmatched_reason_is_the_furthest_stage_reached(request_, supply, blocked, reason) -> None:
    expected = {
        "category": UnmatchedReason.NO_SUPPLY_FOR_CATEGORY,
        "radius": UnmatchedReason.NO_SUPPLY_IN_RADIUS,
        "language": UnmatchedReason.NO_COMMON_LANGUAGE,
        "availability": UnmatchedReason.NO_AVAILABILITY,
        "blocked": UnmatchedReason.BLOCKED,
        "full": UnmatchedReason.CAPACITY_EXHAUSTED,
    }[reason]
    assert _reason([request_], [supply], frozenset(blocked)) == expected


def test_reason_reports_the_most_advanced_candidate() -> None:
    request = Request(1, LAT0, LON0, "food", languages=frozenset({"ar"}))
    far_speaker = Supply(8, north(4), LON0, 1, FOOD, languages=frozenset({"ar"}))
    near_non_speaker = Supply(9, LAT0, LON0, 1, FOOD, languages=frozenset({"fr"}))
    assert _reason([request], [far_speaker, near_non_speaker]) == (
        UnmatchedReason.NO_COMMON_LANGUAGE
    )


def test_critical_request_takes_the_only_volunteer_and_reason_is_capacity() -> None:
    low = Request(1, LAT0, LON0, "food", urgency=0)
    critical = Request(2, north(1.5), LON0, "food", urgency=3)
    volunteer = Supply(9, LAT0, LON0, 2.0, FOOD, capacity=1)
    result = solve([low, critical], [volunteer])
    assert [a.request_id for a in result.assignments] == [2]
    assert result.unmatched == {1: UnmatchedReason.CAPACITY_EXHAUSTED}


def test_solve_beats_greedy_on_the_classic_blocking_case() -> None:
    """Greedy gives the urgent request its nearest volunteer and strands the other one."""
    urgent = Request(1, LAT0, LON0, "food", urgency=3)
    other = Request(2, north(1.0), LON0, "food", urgency=1)
    shared = Supply(8, north(0.4), LON0, 2.0, FOOD)
    spare = Supply(9, north(-1.0), LON0, 1.2, FOOD)
    greedy = greedy_nearest([urgent, other], [shared, spare])
    assert len(greedy.assignments) == 1
    best = solve([urgent, other], [shared, spare])
    assert {(a.request_id, a.supply_id) for a in best.assignments} == {(1, 9), (2, 8)}


def test_tiled_uses_worker_processes_and_stays_feasible() -> None:
    rng = random.Random(3)
    requests = [
        Request(i, north(rng.uniform(-3, 3)), LON0 + rng.uniform(-0.04, 0.04), "food")
        for i in range(60)
    ]
    supplies = [
        Supply(1000 + j, north(rng.uniform(-3, 3)), LON0 + rng.uniform(-0.04, 0.04), 1.5, FOOD)
        for j in range(40)
    ]
    tiled = solve_tiled(requests, supplies, workers=2, grid=(2, 2))
    assert_feasible(tiled, requests, supplies)
    exact = evaluate(solve(requests, supplies), requests)
    assert evaluate(tiled, requests).served <= exact.served


def test_empty_inputs() -> None:
    assert solve([], []) == MatchResult((), {}, (), True)
    assert solve_tiled([], [Supply(1, LAT0, LON0, 1, FOOD)]) == MatchResult((), {})
    assert greedy_nearest([Request(1, LAT0, LON0, "food")], []).unmatched == {
        1: UnmatchedReason.NO_SUPPLY_FOR_CATEGORY
    }


def test_assignments_are_sorted_by_request_id() -> None:
    requests = [Request(i, north(0.1 * i), LON0, "food") for i in (5, 3, 9)]
    result = solve(requests, [Supply(1, LAT0, LON0, 3, FOOD, capacity=3)])
    assert [a.request_id for a in result.assignments] == [3, 5, 9]
    assert all(isinstance(a, Assignment) for a in result.assignments)
