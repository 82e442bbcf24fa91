"""Benchmark of the matching engine on synthetic Paris-shaped cities.

Run from the repository root: ``.venv/bin/python bench/matching.py [--quick]``.

Points are drawn around the real arrondissement centroids of the La Poste postcode file
(Gaussian, sigma 1 km); the ``centroids`` data set puts 30 % of the requests exactly at
their zone centroid (web requests without an address). Every method runs in its own
forked process, so the peak resident memory it reports is that method's alone (plus the
interpreter and the input it inherits); wall time and CPU time (``time.process_time``) are
both printed, with the load average, because the machine may be shared.

The reference is computed in the same run: the independent ``oracle`` (max-flow per
urgency level, then min-cost flow over ALL eligible pairs; no engine code) up to
``ORACLE_MAX_REQUESTS``, and beyond that the engine's own optimality certificate
(``MatchResult.certified``: every eligible pair has a non-negative reduced cost).
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import os
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from entraide.matching.engine import (  # noqa: E402
    MatchResult,
    Objective,
    Request,
    Supply,
    evaluate,
    greedy_nearest,
    solve,
    solve_tiled,
)

POSTCODES = ROOT.parent / "shared" / "data" / "fr-postcodes" / "laposte_hexasmal.csv"
PARIS_CODES = {f"750{n:02d}" for n in range(1, 21)} | {"75116"}
KM_PER_DEG_LAT = 111.2
ZONE_SIGMA_KM = 1.0
RADIUS_KM = 5.0

CATEGORIES = ("groceries", "pharmacy", "visit", "transport", "paperwork", "repairs", "childcare")
CATEGORY_WEIGHTS = (0.32, 0.16, 0.16, 0.1, 0.1, 0.06, 0.1)
REQUEST_LANGUAGES = ((), ("fr",), ("ar",), ("en",), ("zh",), ("es",))
REQUEST_LANGUAGE_WEIGHTS = (0.74, 0.15, 0.04, 0.03, 0.02, 0.02)
SPOKEN = (("en", 0.4), ("ar", 0.1), ("es", 0.1), ("zh", 0.03))
URGENCY_WEIGHTS = (0.25, 0.45, 0.2, 0.1)

SIZES = ((2_000, 1_000), (10_000, 5_000), (20_000, 10_000), (50_000, 25_000), (100_000, 50_000))
QUICK_SIZES = ((2_000, 1_000), (10_000, 5_000))
REGIMES = {"spare": 3, "balanced": 2, "short-handed": 1}
"""Regime name -> volunteer capacity (supply is 1.5x, 1x, 0.5x the requests)."""
DATASETS = ("clustered", "centroids")
CENTROID_SHARE = 0.3
ORACLE_MAX_REQUESTS = 10_000
"""Largest size for which the independent oracle runs (its graph holds every eligible pair)."""


@dataclass(frozen=True)
class Run:
    method: str
    objective: Objective
    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0
    certified: bool = False
    metres: int = 0
    """Sum of the assignments' whole metres: the flow's own objective, compared exactly."""


def paris_centroids(path: Path = POSTCODES) -> np.ndarray:
    """(lat, lon) of the 21 Paris postcode centroids (75116 included)."""
    points = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if row["Code_postal"] in PARIS_CODES and row["coordonnees_gps"]:
                lat, lon = row["coordonnees_gps"].split(",")
                points.append((float(lat), float(lon)))
    return np.unique(np.array(points), axis=0)


def scatter(rng: np.random.Generator, centres: np.ndarray, n: int) -> np.ndarray:
    zone = rng.integers(0, len(centres), n)
    lat = centres[zone, 0] + rng.normal(0, ZONE_SIGMA_KM / KM_PER_DEG_LAT, n)
    km_per_deg_lon = KM_PER_DEG_LAT * np.cos(np.radians(centres[:, 0].mean()))
    lon = centres[zone, 1] + rng.normal(0, ZONE_SIGMA_KM / km_per_deg_lon, n)
    return np.column_stack([lat, lon])


def make_requests(
    rng: np.random.Generator, centres: np.ndarray, n: int, at_centroid: float = 0.0
) -> list[Request]:
    points = scatter(rng, centres, n)
    snapped = rng.random(n) < at_centroid
    points[snapped] = centres[rng.integers(0, len(centres), int(snapped.sum()))]
    category = rng.choice(len(CATEGORIES), n, p=CATEGORY_WEIGHTS)
    urgency = rng.choice(4, n, p=URGENCY_WEIGHTS)
    start = rng.integers(0, 7, n) * 24 + rng.integers(8, 20, n)
    length = rng.choice([2, 4, 8, 24], n, p=[0.3, 0.4, 0.2, 0.1])
    language = rng.choice(len(REQUEST_LANGUAGES), n, p=REQUEST_LANGUAGE_WEIGHTS)
    return [
        Request(
            id=i + 1,
            lat=float(points[i, 0]),
            lon=float(points[i, 1]),
            category=CATEGORIES[category[i]],
            urgency=int(urgency[i]),
            window_start=int(start[i]),
            window_end=int(start[i] + length[i]),
            languages=frozenset(REQUEST_LANGUAGES[language[i]]),
        )
        for i in range(n)
    ]


def weekly(days: range, hours: range) -> frozenset[int]:
    return frozenset(d * 24 + h for d in days for h in hours)


AVAILABILITY_PATTERNS = (
    weekly(range(5), range(18, 22)),  # weekday evenings
    weekly(range(5, 7), range(9, 19)),  # weekends
    weekly(range(5), range(9, 17)),  # weekday daytime (retired, students)
    weekly(range(7), range(8, 21)),  # nearly always
)
AVAILABILITY_WEIGHTS = (0.35, 0.25, 0.25, 0.15)


def make_supplies(
    rng: np.random.Generator, centres: np.ndarray, n: int, capacity: int
) -> list[Supply]:
    points = scatter(rng, centres, n)
    n_categories = rng.choice([1, 2, 3], n, p=[0.4, 0.4, 0.2])
    pattern = rng.choice(len(AVAILABILITY_PATTERNS), n, p=AVAILABILITY_WEIGHTS)
    spoken = [rng.random(n) < share for _, share in SPOKEN]
    supplies = []
    for i in range(n):
        cats = rng.choice(len(CATEGORIES), n_categories[i], replace=False, p=CATEGORY_WEIGHTS)
        langs = {"fr"} | {lang for (lang, _), has in zip(SPOKEN, spoken, strict=True) if has[i]}
        supplies.append(
            Supply(
                id=i + 1,
                lat=float(points[i, 0]),
                lon=float(points[i, 1]),
                radius_km=RADIUS_KM,
                categories=frozenset(CATEGORIES[c] for c in cats),
                languages=frozenset(langs),
                availability=AVAILABILITY_PATTERNS[pattern[i]],
                capacity=capacity,
            )
        )
    return supplies


def make_city(
    n_requests: int, n_supplies: int, capacity: int, seed: int = 0, at_centroid: float = 0.0
) -> tuple[list[Request], list[Supply]]:
    rng = np.random.default_rng(seed)
    centres = paris_centroids()
    return make_requests(rng, centres, n_requests, at_centroid), make_supplies(
        rng, centres, n_supplies, capacity
    )


# --- Independent exact oracle -------------------------------------------------------------
# Shares no code with the engine: eligibility from the haversine formula and dense masks,
# then one maximum flow per urgency level (most urgent first, the counts of the levels above
# held fixed) and a min-cost flow over ALL eligible pairs with those counts fixed.

EARTH_KM = 6371.0088
ORACLE_CHUNK = 512


def eligible_pairs(
    requests: Sequence[Request],
    supplies: Sequence[Supply],
    blocked: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset(),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(request index, supply index, metres) of every eligible pair, by brute force."""
    cats = sorted({r.category for r in requests} | {c for s in supplies for c in s.categories})
    langs = sorted(
        {x for r in requests for x in r.languages} | {x for s in supplies for x in s.languages}
    )
    cat_of = {c: i for i, c in enumerate(cats)}
    offers = np.zeros((len(supplies), max(1, len(cats))), dtype=bool)
    speaks = np.zeros((len(supplies), max(1, len(langs))), dtype=bool)
    avail = np.zeros((len(supplies), 168), dtype=bool)
    for j, s in enumerate(supplies):
        offers[j, [cat_of[c] for c in s.categories]] = True
        speaks[j, [langs.index(x) for x in s.languages]] = True
        avail[j, sorted(s.availability)] = True
    s_lat = np.radians([s.lat for s in supplies])
    s_lon = np.radians([s.lon for s in supplies])
    radius = np.array([s.radius_km for s in supplies])
    open_ = np.array([s.capacity > 0 for s in supplies], dtype=bool)
    s_index = {s.id: j for j, s in enumerate(supplies)}
    out_r, out_s, out_m = [], [], []
    for start in range(0, len(requests), ORACLE_CHUNK):
        chunk = requests[start : start + ORACLE_CHUNK]
        lat = np.radians([r.lat for r in chunk])[:, None]
        lon = np.radians([r.lon for r in chunk])[:, None]
        h = (
            np.sin((s_lat[None, :] - lat) / 2) ** 2
            + np.cos(lat) * np.cos(s_lat[None, :]) * np.sin((s_lon[None, :] - lon) / 2) ** 2
        )
        km = 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
        ok = (km <= radius[None, :] + 1e-9) & open_[None, :]
        ok &= offers[:, [cat_of[r.category] for r in chunk]].T
        wants = np.zeros((len(chunk), speaks.shape[1]), dtype=bool)
        window = np.zeros((len(chunk), 168), dtype=bool)
        any_lang = np.array([not r.languages for r in chunk])
        for i, r in enumerate(chunk):
            wants[i, [langs.index(x) for x in r.languages]] = True
            window[i, [t % 168 for t in range(r.window_start, r.window_end)]] = True
        ok &= any_lang[:, None] | (wants.astype(np.int32) @ speaks.T.astype(np.int32) > 0)
        ok &= window.astype(np.int32) @ avail.T.astype(np.int32) > 0
        for i, r in enumerate(chunk):
            for rid, sid in blocked:
                if rid == r.id and sid in s_index:
                    ok[i, s_index[sid]] = False
        ri, si = np.nonzero(ok)
        out_r.append(ri + start)
        out_s.append(si)
        out_m.append(np.rint(km[ri, si] * 1000).astype(np.int64))
    if not out_r:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(out_r), np.concatenate(out_s), np.concatenate(out_m)


def oracle(
    requests: Sequence[Request],
    supplies: Sequence[Supply],
    blocked: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset(),
) -> tuple[tuple[int, ...], int]:
    """Exact optimum: served per urgency level (index = level) and metres, independently."""
    from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

    pr, ps, pm = eligible_pairs(requests, supplies, blocked)
    urgency = np.array([r.urgency for r in requests], dtype=np.int64)
    capacity = np.array([s.capacity for s in supplies], dtype=np.int64)
    n_r, n_s = len(requests), len(supplies)
    # Nodes: 0 source, 1..4 one per level, requests, supplies, sink.
    r_node, s_node, sink = 5, 5 + n_r, 5 + n_r + n_s

    def graph(levels: list[int], fixed: dict[int, int], pair_cost: bool) -> SimpleMinCostFlow:
        flow = SimpleMinCostFlow()
        for level in levels:
            cap = fixed.get(level, int((urgency == level).sum()))
            flow.add_arc_with_capacity_and_unit_cost(
                0, 1 + level, cap, -1 if level in fixed and not pair_cost else 0
            )
        keep = np.isin(urgency, levels)
        rows = np.flatnonzero(keep)
        if rows.size:
            flow.add_arcs_with_capacity_and_unit_cost(
                1 + urgency[rows],
                r_node + rows,
                np.ones(rows.size, np.int64),
                np.zeros(rows.size, np.int64),
            )
        sel = keep[pr] if pr.size else np.zeros(0, dtype=bool)
        if sel.any():
            flow.add_arcs_with_capacity_and_unit_cost(
                r_node + pr[sel],
                s_node + ps[sel],
                np.ones(int(sel.sum()), np.int64),
                pm[sel] if pair_cost else np.zeros(int(sel.sum()), np.int64),
            )
        if n_s:
            flow.add_arcs_with_capacity_and_unit_cost(
                s_node + np.arange(n_s), np.full(n_s, sink), capacity, np.zeros(n_s, np.int64)
            )
        return flow

    fixed: dict[int, int] = {}
    for level in (3, 2, 1, 0):
        flow = graph([*list(fixed), level], fixed, pair_cost=False)
        flow.set_node_supply(0, n_r)
        flow.set_node_supply(sink, -n_r)
        if flow.solve_max_flow_with_min_cost() != SimpleMinCostFlow.OPTIMAL:
            raise RuntimeError("oracle max-flow failed")
        fixed[level] = flow.maximum_flow() - sum(fixed.values())
    total = sum(fixed.values())
    if total == 0:
        return (0, 0, 0, 0), 0
    flow = graph(list(fixed), fixed, pair_cost=True)
    flow.set_node_supply(0, total)
    flow.set_node_supply(sink, -total)
    if flow.solve() != SimpleMinCostFlow.OPTIMAL:
        raise RuntimeError("oracle min-cost flow failed")
    return tuple(fixed[v] for v in range(4)), int(flow.optimal_cost())


Method = Callable[[Sequence[Request], Sequence[Supply]], MatchResult]
METHODS: dict[str, Method] = {
    "greedy": lambda r, s: greedy_nearest(r, s),
    "exact": lambda r, s: solve(r, s),
    "tiled": lambda r, s: solve_tiled(r, s, workers=2),
}


def _measure(
    method: str, requests: list[Request], supplies: list[Supply], conn: Connection
) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    if method == "oracle":
        served, metres = oracle(requests, supplies)
        objective, certified = Objective(served, metres / 1000.0), True
    else:
        result = METHODS[method](requests, supplies)
        objective, certified = evaluate(result, requests), result.certified
        metres = sum(round(a.distance_km * 1000) for a in result.assignments)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds += children.ru_utime + children.ru_stime  # tiled's worker processes
    peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children.ru_maxrss)
    run = Run(method, objective, seconds, peak_kb / 1024, cpu_seconds, certified, metres)
    conn.send(run)
    conn.close()


def measure(method: str, requests: list[Request], supplies: list[Supply]) -> Run:
    """Run one method in a forked child; its peak RSS is its own."""
    ctx = mp.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_measure, args=(method, requests, supplies, sender))
    child.start()
    sender.close()
    run = receiver.recv()
    child.join()
    return run


def fmt_run(run: Run, reference: Run | None) -> str:
    served = "/".join(str(x) for x in reversed(run.objective.served_by_urgency))
    line = (
        f"  {run.method:<7} served {run.objective.served:>7} (crit/high/norm/low {served:>27})"
        f"  {run.objective.total_km:>10.1f} km  {run.seconds:>6.2f} s wall"
        f" {run.cpu_seconds:>6.2f} s cpu  {run.peak_mb:>5.0f} MB"
        + ("  certified" if run.certified and run.method != "oracle" else "")
    )
    if reference is not None and reference is not run:
        line += "  " + gap(run, reference)
    return line


def gap(run: Run, ref: Run) -> str:
    value, reference = run.objective, ref.objective
    served = value.served / reference.served if reference.served else 1.0
    km = value.total_km / reference.total_km if reference.total_km else 1.0
    same = value.served_by_urgency == reference.served_by_urgency
    metres_equal = run.metres == ref.metres
    verdict = "= optimum" if same and metres_equal else ("same served" if same else "differs")
    return f"vs ref: served x{served:.4f}, km x{km:.4f} ({verdict})"


def below_greedy(run: Run, greedy: Run) -> list[int]:
    """Urgency levels where ``run`` serves fewer than greedy, counting the levels above."""
    mine, theirs = run.objective.served_by_urgency, greedy.objective.served_by_urgency
    return [u for u in (3, 2, 1, 0) if sum(mine[u:]) < sum(theirs[u:])]


def bench_case(
    n_requests: int,
    n_supplies: int,
    regime: str,
    dataset: str,
    with_oracle: bool,
    methods: Sequence[str] = ("greedy", "exact", "tiled"),
) -> list[Run]:
    share = CENTROID_SHARE if dataset == "centroids" else 0.0
    requests, supplies = make_city(
        n_requests, n_supplies, REGIMES[regime], seed=n_requests, at_centroid=share
    )
    critical = sum(1 for r in requests if r.urgency == 3)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{n_requests} requests x {n_supplies} volunteers, {dataset}, {regime}"
        f" ({critical} critical; load average {load})"
    )
    runs: dict[str, Run] = {}
    for method in [*methods, *(["oracle"] if with_oracle else [])]:
        runs[method] = measure(method, requests, supplies)
        print(fmt_run(runs[method], None), flush=True)
    exact = runs.get("exact")
    reference = runs.get("oracle") or (exact if exact and exact.certified else None)
    if reference is not None:
        for run in runs.values():
            if run is not reference:
                print(f"  {run.method:<7} {gap(run, reference)}", flush=True)
    if greedy := runs.get("greedy"):
        for run in runs.values():
            if run.method != "oracle" and (levels := below_greedy(run, greedy)):
                print(f"  !! {run.method} below greedy at levels {levels}", flush=True)
    return list(runs.values())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only (smoke test)")
    parser.add_argument("--regimes", default="balanced,short-handed")
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--sizes", default="", help="e.g. 2000x1000,100000x50000")
    parser.add_argument("--methods", default="greedy,exact,tiled")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else SIZES
    if args.sizes:
        sizes = tuple(
            (int(a), int(b)) for a, b in (item.split("x") for item in args.sizes.split(","))
        )
    for n_requests, n_supplies in sizes:
        for dataset in args.datasets.split(","):
            for regime in args.regimes.split(","):
                with_oracle = n_requests <= ORACLE_MAX_REQUESTS
                bench_case(
                    n_requests, n_supplies, regime, dataset, with_oracle, args.methods.split(",")
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
