"""Coordinators' queue and case view at city scale: 100,000 requests and 20,000 volunteers
over the 20 Paris arrondissements, in PostgreSQL.

Builds a temporary PostgreSQL database (``BENCH_POSTGRES_URL``, by default
``postgres://postgres@127.0.0.1:5432/postgres``; the bench creates and drops its own
database next to it), fills it with bulk_create, then times the pages through the full
Django stack (test client), each repeated, and reports the median, the 95th percentile
and the number of queries, next to the static accessibility page measured in the same
run. Targets: queue p95 < 150 ms, case view with suggested helpers p95 < 250 ms.

    .venv/bin/python bench/coordination.py [--scale 1.0] [--repeat 40] [--keep|--reuse]

``--keep`` keeps the filled database; ``--reuse`` times it again (after migrating it, so
that new indexes are there). Both runs vacuum and analyse it first, as autovacuum would.

``--scale 0.1`` runs 10,000 requests and 2,000 volunteers.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATABASE = "entraide_coordination_bench"
TARGETS_MS = {"queue": 150.0, "case": 250.0}


def _database_url(*, reuse: bool) -> str:
    import psycopg

    postgres = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if reuse:
        return postgres.rsplit("/", 1)[0] + f"/{DATABASE}"
    with psycopg.connect(postgres, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return postgres.rsplit("/", 1)[0] + f"/{DATABASE}"


def _drop_database() -> None:
    import psycopg

    postgres = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(postgres, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")


def _volunteers(zones, count: int, rng: random.Random, now):
    from django.contrib.auth import get_user_model

    from entraide.people.models import Volunteer

    users = get_user_model().objects.bulk_create(
        (get_user_model()(username=f"v{i}@example.org") for i in range(count)), batch_size=5000
    )
    codes = ["groceries", "medicines", "pet_walking", "childcare", "paperwork", "transport"]
    languages = ["ar", "en", "es", "pt", "zh"]
    return Volunteer.objects.bulk_create(
        (
            Volunteer(
                user=user,
                first_name=f"V{i}",
                zone=zone,
                home_lat=zone.centroid_lat + rng.gauss(0, 0.008),
                home_lon=zone.centroid_lon + rng.gauss(0, 0.012),
                radius_km=rng.choice([1, 2, 2, 3, 3, 5]),
                categories=rng.sample(codes, rng.randint(1, 3)),
                languages=["fr", *rng.sample(languages, rng.choice([0, 0, 1, 2]))],
                availability=[],
                vetting_status=rng.choice(["verified"] * 8 + ["pending", "suspended"]),
                paused=rng.random() < 0.05,
                extra_check_passed=rng.random() < 0.3,
                code_word="tilleul",
                created_at=now,
            )
            for i, (user, zone) in enumerate(zip(users, rng.choices(zones, k=count), strict=True))
        ),
        batch_size=5000,
    )


def _requests(zones, count: int, rng: random.Random, now):
    from entraide.needs.models import HelpRequest

    codes = ["groceries", "medicines", "pet_walking", "childcare", "paperwork", "transport"]
    statuses = ["open"] * 3 + ["matched", "in_progress"] + ["done"] * 4 + ["cancelled", "expired"]
    channels = ["web"] * 7 + ["phone", "operator", "sms"]
    requests = []
    for i in range(count):
        zone = rng.choice(zones)
        created = now - dt.timedelta(minutes=rng.randrange(60 * 24 * 30))
        requests.append(
            HelpRequest(
                reference=f"B{i:09d}",
                zone=zone,
                description="-",
                public_description="-",
                channel=rng.choice(channels),
                language=rng.choice(["fr"] * 9 + ["pt"]),
                private_token_hash="x",
                private_link_expires_at=now,
                created_at=created,
                status_changed_at=created,
                window_start=now.date(),
                window_end=now.date() + dt.timedelta(days=5),
                category=rng.choice(codes),
                urgency=rng.randrange(4),
                status=rng.choice(statuses),
            )
        )
    HelpRequest.objects.bulk_create(requests, batch_size=5000)


def _assignments(volunteers, rng: random.Random) -> int:
    from entraide.matching.models import Assignment, UnmatchedNote
    from entraide.needs.models import HelpRequest

    rows = HelpRequest.objects.values_list("id", "created_at", "status")
    assignments, notes = [], []
    reasons = ["no_common_language", "capacity_exhausted", "no_supply_in_radius", "blocked"]
    for request_id, created, status in rows.iterator():
        helper = rng.choice(volunteers)
        if status in ("matched", "in_progress", "done"):
            final = {"matched": "accepted", "in_progress": "started"}.get(status, "done")
            assignments.append(_assignment(request_id, helper, final, created))
        elif status == "open":
            roll = rng.random()
            if roll < 0.3:
                assignments.append(_assignment(request_id, helper, "proposed", created))
            elif roll < 0.4:
                for _ in range(2):
                    assignments.append(
                        _assignment(request_id, rng.choice(volunteers), "declined", created)
                    )
            elif roll < 0.7:
                notes.append(UnmatchedNote(help_request_id=request_id, reason=rng.choice(reasons)))
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    UnmatchedNote.objects.bulk_create(notes, batch_size=5000)
    return len(assignments)


def _assignment(request_id: int, volunteer, status: str, created):
    from entraide.matching.models import Assignment

    return Assignment(
        help_request_id=request_id,
        volunteer=volunteer,
        status=status,
        source="batch",
        proposed_at=created,
        respond_by=created + dt.timedelta(hours=2),
    )


def _fill(requests: int, volunteers: int, rng: random.Random) -> None:
    from django.conf import settings
    from django.utils import timezone

    from entraide.matching.models import Assignment
    from entraide.needs.models import HelpRequest
    from entraide.people.models import Volunteer
    from entraide.territory.services import zones_import_laposte

    zones = list(
        zones_import_laposte(
            path=settings.ENTRAIDE_POSTCODE_FILE,
            territory_name="Paris",
            territory_slug="paris",
            communes=["PARIS"],
        ).territory.zones.all()
    )
    for model, name in [
        (HelpRequest, "created_at"),
        (HelpRequest, "status_changed_at"),
        (Volunteer, "created_at"),
        (Assignment, "proposed_at"),
    ]:
        model._meta.get_field(name).auto_now_add = False
    now = timezone.now()
    helpers = _volunteers(zones, volunteers, rng, now)
    _requests(zones, requests, rng, now)
    count = _assignments(helpers, rng)

    _vacuum()
    print(
        f"filled: {HelpRequest.objects.count()} requests "
        f"({HelpRequest.objects.filter(status='open').count()} open), {len(helpers)} volunteers, "
        f"{count} assignments, {len(zones)} zones"
    )


def _vacuum() -> None:
    """What autovacuum does to freshly filled tables: statistics for the planner, and the
    visibility map without which an index-only scan reads the table anyway."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _time(client, urls: list[str], repeat: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls[:2]:
        client.get(url)
    timings, queries = [], 0
    for index in range(repeat):
        url = urls[index % len(urls)]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = max(queries, len(captured))
    p95 = statistics.quantiles(timings, n=20)[18] if len(timings) >= 20 else max(timings)
    return statistics.median(timings), p95, queries


def _pages(zone_coordinator_client, admin_client) -> list[tuple[str, str, object, list[str]]]:
    from entraide.needs.models import HelpRequest

    cases = list(
        HelpRequest.objects.filter(status="open", zone__code="75011")
        .order_by("-urgency", "created_at")
        .values_list("reference", flat=True)[:20]
    )
    return [
        ("baseline: accessibility page", "", admin_client, ["/accessibility/"]),
        ("queue, whole territory", "queue", admin_client, ["/coordination/queue/"]),
        ("queue, one zone (zone coordinator)", "queue", zone_coordinator_client,
         ["/coordination/queue/"]),
        ("queue, overdue slice, page 3", "queue", admin_client,
         ["/coordination/queue/?reason=overdue&page=3"]),
        ("queue, filtered (category, urgency)", "queue", admin_client,
         ["/coordination/queue/?category=groceries&urgency=3"]),
        ("case view", "case", zone_coordinator_client,
         [f"/coordination/cases/{ref}/" for ref in cases]),
        ("case view with suggested helpers", "case", zone_coordinator_client,
         [f"/coordination/cases/{ref}/?suggest=1" for ref in cases]),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = 100k requests, 20k volunteers"
    )
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="time the kept database again")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = _database_url(reuse=args.reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from entraide.platform.models import Role
    from entraide.platform.roles import role_grant
    from entraide.territory.models import Zone

    settings.ALLOWED_HOSTS = ["*"]
    try:
        call_command("migrate", verbosity=0)  # a kept database gets the new indexes too
        if not args.reuse:
            started = time.perf_counter()
            _fill(int(100_000 * args.scale), int(20_000 * args.scale), random.Random(7))
            print(f"fill time: {time.perf_counter() - started:.1f} s on {connection.vendor}")
            get_user_model().objects.create_superuser("bench-admin", "admin@example.org", "x")
            zone_user = get_user_model().objects.create_user("bench-coord", "coord@example.org")
            zone = Zone.objects.get(code="75011")
            role_grant(user=zone_user, role=Role.ZONE_COORDINATOR, zone=zone)
        _vacuum()
        admin = get_user_model().objects.get(username="bench-admin")
        zone_user = get_user_model().objects.get(username="bench-coord")
        admin_client, zone_client = Client(), Client()
        admin_client.force_login(admin)
        zone_client.force_login(zone_user)
        baseline = None
        print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        print(
            f"\n{'page':<40} {'median ms':>9} {'p95 ms':>8} {'queries':>8} {'p95/base':>9} "
            f"{'target':>8}"
        )
        for label, kind, client, urls in _pages(zone_client, admin_client):
            median, p95, queries = _time(client, urls, args.repeat)
            baseline = baseline or p95
            target = TARGETS_MS.get(kind)
            verdict = "" if target is None else ("ok" if p95 < target else "MISSED")
            print(
                f"{label:<40} {median:>9.1f} {p95:>8.1f} {queries:>8} {p95 / baseline:>9.1f} "
                f"{verdict:>8}"
            )
        print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    finally:
        connection.close()
        if not args.keep:
            _drop_database()


if __name__ == "__main__":
    main()
