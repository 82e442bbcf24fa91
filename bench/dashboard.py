"""Dashboard timings at city scale: 100,000 requests over the 20 Paris arrondissements.

Builds a temporary database (SQLite by default; PostgreSQL with
``BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres``), fills it with
bulk_create, then times the coordinator pages through the full Django stack and counts
their queries, next to a plain static page as the baseline.

    .venv/bin/python bench/dashboard.py [--requests 100000] [--repeat 20] [--reuse] [--slow]

``--reuse`` keeps the PostgreSQL database between runs (filled once); ``--slow`` prints
each page's slowest queries. Figures are p50 and p95 of ``--repeat`` loads of each page.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _database_url(tmp: str, reuse: bool) -> tuple[str, bool]:
    """The database's URL, and whether it already holds the bench's data."""
    postgres = os.environ.get("BENCH_POSTGRES_URL")
    if not postgres:
        return f"sqlite:///{tmp}/bench.sqlite3", False
    import psycopg

    name = os.environ.get("BENCH_DB_NAME", "entraide_insight_bench")
    with psycopg.connect(postgres, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not (reuse and exists):
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {name}")
    return postgres.rsplit("/", 1)[0] + f"/{name}", bool(reuse and exists)


def _fill(count: int, rng: random.Random) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from entraide.matching.models import Assignment
    from entraide.needs.categories import CATEGORIES
    from entraide.needs.models import HelpOffer, HelpRequest, OfferCategory
    from entraide.people.models import Volunteer
    from entraide.platform.privacy import snap_to_grid
    from entraide.territory.services import zones_import_laposte

    territory = zones_import_laposte(
        path=settings.ENTRAIDE_POSTCODE_FILE,
        territory_name="Paris",
        territory_slug="paris",
        communes=["PARIS"],
    ).territory
    zones = list(territory.zones.all())
    # Busier in the north-east, as in the seeds' accounts of Paris.
    weights = [
        3 if zone.code in {"75018", "75019", "75020", "75011", "75013"} else 1 for zone in zones
    ]
    for model, name in [
        (HelpRequest, "created_at"),
        (HelpRequest, "status_changed_at"),
        (HelpOffer, "created_at"),
        (HelpOffer, "status_changed_at"),
        (Assignment, "proposed_at"),
    ]:
        model._meta.get_field(name).auto_now_add = False
    now = timezone.now()
    codes = [c.code for c in CATEGORIES]
    statuses = ["open"] * 3 + ["matched", "in_progress"] + ["done"] * 4 + ["cancelled", "expired"]
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench{i}@example.org") for i in range(2000)
    )
    volunteers = Volunteer.objects.bulk_create(
        Volunteer(
            user=user,
            first_name=f"V{i}",
            zone=zone,
            home_lat=zone.centroid_lat,
            home_lon=zone.centroid_lon,
            vetting_status="verified",
            code_word="tilleul",
        )
        for i, (user, zone) in enumerate(
            zip(users, rng.choices(zones, weights, k=len(users)), strict=True)
        )
    )

    def point(zone):
        return snap_to_grid(
            zone.centroid_lat + rng.uniform(-0.01, 0.01),
            zone.centroid_lon + rng.uniform(-0.015, 0.015),
        )

    requests = []
    for i in range(count):
        zone = rng.choices(zones, weights)[0]
        created = now - dt.timedelta(minutes=rng.randrange(60 * 24 * 90))
        lat, lon = point(zone)
        requests.append(
            HelpRequest(
                reference=f"B{i:09d}",
                zone=zone,
                description="-",
                public_description="-",
                public_lat=lat,
                public_lon=lon,
                channel="web",
                private_token_hash="x",
                private_link_expires_at=now,
                created_at=created,
                status_changed_at=created,
                category=rng.choice(codes),
                urgency=rng.randrange(4),
                status=rng.choice(statuses),
            )
        )
    HelpRequest.objects.bulk_create(requests, batch_size=5000)
    matched = HelpRequest.objects.filter(status__in=["matched", "in_progress", "done"]).values_list(
        "id", "created_at", "status"
    )
    assignments = []
    for request_id, created, status in matched.iterator():
        responded = created + dt.timedelta(minutes=rng.lognormvariate(5, 1.2))
        done = status == "done"
        assignments.append(
            Assignment(
                help_request_id=request_id,
                volunteer=rng.choice(volunteers),
                status="done" if done else "accepted",
                source="batch",
                proposed_at=created,
                respond_by=created + dt.timedelta(hours=2),
                responded_at=responded,
                finished_at=responded + dt.timedelta(hours=rng.uniform(1, 48)) if done else None,
            )
        )
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    offers = HelpOffer.objects.bulk_create(
        (
            HelpOffer(
                reference=f"O{i:09d}",
                zone=zone,
                description="-",
                public_description="-",
                channel="web",
                private_token_hash="x",
                private_link_expires_at=now,
                created_at=now,
                status_changed_at=now,
                status=rng.choice(["open", "open", "paused"]),
            )
            for i, zone in enumerate(rng.choices(zones, weights, k=count // 20))
        ),
        batch_size=5000,
    )
    OfferCategory.objects.bulk_create(
        (
            OfferCategory(offer=offer, category=code)
            for offer in offers
            for code in rng.sample(codes, 2)
        ),
        batch_size=5000,
    )
    print(
        f"filled: {HelpRequest.objects.count()} requests, {len(assignments)} assignments, "
        f"{len(offers)} offers, {len(volunteers)} volunteers, {len(zones)} zones"
    )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _after_fill() -> None:
    """Statistics up to date (as autovacuum would have them on a live base), and the
    dashboard's rollups rebuilt from the rows (bulk_create bypasses the services)."""
    from django.db import connection

    from entraide.insight.rollups import facts_catch_up, facts_reconcile

    started = time.perf_counter()
    written = facts_reconcile()
    print(f"rollup rebuilt by the worker: {written} rows in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    started = time.perf_counter()
    facts_catch_up()
    print(f"worker's catch-up with nothing new: {1000 * (time.perf_counter() - started):.0f} ms")


def _time(client, url: str, repeat: int, slow: bool) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    if slow:
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]:
            print(f"    {1000 * float(query['time']):7.1f} ms  {query['sql'][:300]}")
    return statistics.median(timings), _percentile(timings, 95), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep the filled PostgreSQL base")
    parser.add_argument("--slow", action="store_true", help="print each page's slowest queries")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"], filled = _database_url(tmp, args.reuse)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from entraide.insight.rollups import facts_catch_up

        settings.ALLOWED_HOSTS = ["*"]
        call_command("migrate", verbosity=0)
        if not filled:
            started = time.perf_counter()
            _fill(args.requests, random.Random(7))
            print(f"fill time: {time.perf_counter() - started:.1f} s on {connection.vendor}")
        _after_fill()
        admin, _ = get_user_model().objects.get_or_create(
            username="bench-admin",
            defaults={"email": "admin@example.org", "is_staff": True, "is_superuser": True},
        )
        client = Client()
        client.force_login(admin)
        pages = [
            ("baseline: accessibility page (static template)", "/accessibility/"),
            ("dashboard, last 7 days, whole territory", "/coordination/?period=7d"),
            ("dashboard, last 30 days, whole territory", "/coordination/?period=30d"),
            ("dashboard, last 30 days, one zone", "/coordination/?period=30d&zone=75011"),
            ("map page", "/coordination/map/"),
            ("map data (JSON)", "/coordination/map/data.json"),
            ("open data, 30 days (JSON)", "/api/v1/open-data/requests/"),
        ]
        baseline = None
        print(f"\n{'page':<48} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'x base':>7}")
        for label, url in pages:
            facts_catch_up()  # as the worker does every minute
            median, p95, queries = _time(client, url, args.repeat, args.slow)
            baseline = baseline or median
            print(f"{label:<48} {median:>8.1f} {p95:>8.1f} {queries:>8} {median / baseline:>7.1f}")
        if connection.vendor == "postgresql":
            connection.close()


if __name__ == "__main__":
    main()
