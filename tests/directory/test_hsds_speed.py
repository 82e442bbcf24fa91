"""The HSDS lists read a fixed number of queries, whatever the number of measures; the
time of a full page is printed next to the directory's own API as a baseline
(``pytest -s``; figures measured on a shared machine)."""

import datetime as dt
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from entraide.directory.models import MeasureSchedule

from .hsds_helpers import organisation as make_org
from .hsds_helpers import published


def _median_ms(client, url: str, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


def test_hsds_lists_do_not_grow_in_queries(client, paris, coordinator):
    orgs = [make_org(name=f"Association {n}") for n in range(5)]
    zones = tuple(paris.zones.order_by("code")[:3])
    for n in range(60):
        measure = published(
            paris,
            coordinator,
            title=f"Mesure numéro {n:03d}",
            organisation=orgs[n % 5] if n % 3 else None,
            zones=zones[: n % 4],
        )
        MeasureSchedule.objects.create(
            measure=measure, weekday="MO", opens_at=dt.time(9), closes_at=dt.time(12)
        )
    counts = {}
    for url in (
        "/api/hsds/services/?per_page=100",
        "/api/hsds/organizations/?per_page=100",
        "/api/hsds/service_at_locations/?per_page=100",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
        assert len(queries) <= 15, (url, len(queries))
    baseline = _median_ms(client, "/api/v1/directory/measures/")
    hsds = _median_ms(client, "/api/hsds/services/?per_page=20")
    full = _median_ms(client, "/api/hsds/services/?per_page=60")
    print(
        f"\n60 published measures, 20 a page: /api/hsds/services/ {hsds:.1f} ms vs "
        f"/api/v1/directory/measures/ {baseline:.1f} ms (x{hsds / baseline:.1f}); all 60 "
        f"fully nested in one page {full:.1f} ms; queries {counts}"
    )
