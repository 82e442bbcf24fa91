"""Smoke test: the benchmark script still imports and runs on a tiny city."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "matching.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_matching", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_bench_runs_every_method_on_a_tiny_city(bench: ModuleType) -> None:
    if not bench.POSTCODES.exists():
        pytest.skip("La Poste postcode file not available")
    requests, supplies = bench.make_city(150, 60, capacity=2, seed=1, at_centroid=0.3)
    assert len(bench.paris_centroids()) == 20
    runs = [bench.measure(method, requests, supplies) for method in [*bench.METHODS, "oracle"]]
    greedy, exact, reference = runs[0], runs[1], runs[3]
    assert exact.certified
    assert not bench.below_greedy(exact, greedy)
    assert reference.objective.served_by_urgency == exact.objective.served_by_urgency
    assert reference.metres == exact.metres
    assert all(run.seconds > 0 and run.peak_mb > 0 for run in runs)
    assert "= optimum" in bench.fmt_run(exact, reference)
