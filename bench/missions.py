"""Missions at city scale: 5,000 missions, 50,000 shifts and 100,000 sign-ups over the 20
Paris arrondissements, in PostgreSQL.

Builds its own PostgreSQL database (``BENCH_POSTGRES_URL``, by default
``postgres://postgres@127.0.0.1:5432/postgres``; the bench creates and drops
``entraide_missions_bench`` next to it), fills it with bulk_create, then times through the
full Django stack (test client) the volunteers' mission list (first page, filtered, a
later page, by distance), a mission's page and a shift sign-up (a POST that gives a
place or a waiting-list spot), each repeated, and reports the median, the 95th
percentile and the number of queries next to the static accessibility page measured in
the same run. Targets: list p95 < 150 ms, sign-up p95 < 150 ms.

    .venv/bin/python bench/missions.py [--scale 1.0] [--repeat 40] [--keep|--reuse]

``--keep`` keeps the filled database; ``--reuse`` times it again (after migrating it, so
that new indexes are there). Both runs vacuum and analyse it first, as autovacuum would.
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

DATABASE = "entraide_missions_bench"
TARGETS_MS = {"list": 150.0, "signup": 150.0}
KINDS = ["food_parcel", "groceries", "digital", "transport", "hygiene_kit", "homework"]


def _postgres() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _database_url(*, reuse: bool) -> str:
    import psycopg

    if not reuse:
        with psycopg.connect(_postgres(), autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
            connection.execute(f"CREATE DATABASE {DATABASE}")
    return _postgres().rsplit("/", 1)[0] + f"/{DATABASE}"


def _drop_database() -> None:
    import psycopg

    with psycopg.connect(_postgres(), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")


def _volunteers(zones, count: int, rng: random.Random):
    from django.contrib.auth import get_user_model

    from entraide.people.models import Volunteer

    users = get_user_model().objects.bulk_create(
        (get_user_model()(username=f"v{i}@example.org") for i in range(count)), batch_size=5000
    )
    return Volunteer.objects.bulk_create(
        (
            Volunteer(
                user=user,
                first_name=f"V{i}",
                zone=zone,
                home_lat=zone.centroid_lat + rng.gauss(0, 0.008),
                home_lon=zone.centroid_lon + rng.gauss(0, 0.012),
                categories=rng.sample(KINDS, 3),
                languages=["fr"],
                availability=[],
                vetting_status="verified",
                code_word="tilleul",
            )
            for i, (user, zone) in enumerate(zip(users, rng.choices(zones, k=count), strict=True))
        ),
        batch_size=5000,
    )


def _fill(missions: int, shifts: int, signups: int, volunteers: int, rng: random.Random) -> None:
    from django.conf import settings
    from django.utils import timezone

    from entraide.missions.models import Mission, Shift, Signup
    from entraide.missions.services import mission_next_shift_refresh
    from entraide.people.models import Organisation
    from entraide.territory.services import zones_import_laposte

    zones = list(
        zones_import_laposte(
            path=settings.ENTRAIDE_POSTCODE_FILE,
            territory_name="Paris",
            territory_slug="paris",
            communes=["PARIS"],
        ).territory.zones.all()
    )
    Signup._meta.get_field("created_at").auto_now_add = False
    now = timezone.now()
    helpers = _volunteers(zones, volunteers, rng)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Association {i}", kind="community") for i in range(200)
    )
    statuses = ["published"] * 8 + ["draft", "closed"]
    made = Mission.objects.bulk_create(
        (
            Mission(
                organisation=rng.choice(organisations),
                zone=rng.choice(zones),
                title=f"Mission {i}",
                description="-",
                category=rng.choice(KINDS),
                meeting_place="-",
                status=rng.choice(statuses),
                published_at=now,
            )
            for i in range(missions)
        ),
        batch_size=5000,
    )
    per_mission = shifts // missions
    rows = []
    for mission in made:
        first = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(
            days=rng.randint(-30, 30), hours=rng.randint(0, 12)
        )
        for week in range(per_mission):
            starts = first + dt.timedelta(weeks=week)
            rows.append(
                Shift(
                    mission=mission,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=3),
                    places=rng.randint(2, 8),
                    status="completed" if starts < now else "scheduled",
                )
            )
    # Sign-ups first in memory: who holds a place, who waits, and each shift's count.
    taken = [0] * len(rows)
    seen: set[tuple[int, int]] = set()
    plan = []
    while len(plan) < signups:
        index, helper = rng.randrange(len(rows)), rng.randrange(len(helpers))
        if (index, helper) in seen:
            continue
        seen.add((index, helper))
        holds = taken[index] < rows[index].places
        taken[index] += holds
        plan.append((index, helper, "confirmed" if holds else "waiting"))
    for shift, count in zip(rows, taken, strict=True):
        shift.taken = count
    stored = Shift.objects.bulk_create(rows, batch_size=5000)
    Signup.objects.bulk_create(
        (
            Signup(
                shift=stored[index],
                volunteer=helpers[helper],
                status=status,
                created_at=now - dt.timedelta(minutes=rng.randrange(60 * 24 * 30)),
            )
            for index, helper, status in plan
        ),
        batch_size=5000,
    )
    Signup._meta.get_field("created_at").auto_now_add = True
    mission_next_shift_refresh([m.pk for m in made])
    _vacuum()
    print(
        f"filled: {Mission.objects.count()} missions, {Shift.objects.count()} shifts, "
        f"{Signup.objects.count()} sign-ups "
        f"({Signup.objects.filter(status='waiting').count()} waiting), "
        f"{len(helpers)} volunteers, {len(zones)} zones"
    )


def _vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[18] if len(timings) >= 20 else max(timings)


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
    return statistics.median(timings), _p95(timings), queries


def _time_signups(repeat: int, rng: random.Random) -> tuple[float, float, int, str]:
    """Each POST by another volunteer on another open shift to come: a place or a spot on
    the waiting list, through the view, the service and its row locks."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from entraide.missions.models import Shift, Signup
    from entraide.people.models import Volunteer

    open_shifts = list(
        Shift.objects.filter(
            status="scheduled",
            starts_at__gt=timezone.now() + dt.timedelta(days=1),
            mission__status="published",
        ).values_list("pk", flat=True)[:5000]
    )
    people = list(Volunteer.objects.select_related("user").order_by("?")[: repeat + 2])
    timings, queries, outcomes = [], 0, {"confirmed": 0, "waiting": 0}
    for index, volunteer in enumerate(people):
        client = Client()
        client.force_login(volunteer.user)
        shift = rng.choice(open_shifts)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(f"/missions/shifts/{shift}/sign-up/", {"age_confirmed": "on"})
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 302, response.status_code
        signup = Signup.objects.filter(volunteer=volunteer, shift_id=shift).first()
        if index < 2:  # warm-up
            continue
        timings.append(elapsed)
        queries = max(queries, len(captured))
        if signup is not None:
            outcomes[signup.status] = outcomes.get(signup.status, 0) + 1
    made = f"{outcomes['confirmed']} places, {outcomes['waiting']} waiting"
    return statistics.median(timings), _p95(timings), queries, made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = 5k missions, 50k shifts, 100k sign-ups"
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
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from entraide.people.models import Volunteer

    settings.ALLOWED_HOSTS = ["*"]
    rng = random.Random(7)
    try:
        call_command("migrate", verbosity=0)
        if not args.reuse:
            started = time.perf_counter()
            _fill(
                int(5_000 * args.scale),
                int(50_000 * args.scale),
                int(100_000 * args.scale),
                int(20_000 * args.scale),
                rng,
            )
            print(f"fill time: {time.perf_counter() - started:.1f} s on {connection.vendor}")
        _vacuum()
        anonymous, volunteer_client = Client(), Client()
        volunteer_client.force_login(Volunteer.objects.order_by("pk").first().user)
        from entraide.missions.models import Mission

        details = [
            f"/missions/{pk}/"
            for pk in Mission.objects.filter(status="published").values_list("pk", flat=True)[:20]
        ]
        day = (dt.date.today() + dt.timedelta(days=3)).isoformat()
        pages = [
            ("baseline: accessibility page", "", anonymous, ["/accessibility/"]),
            ("mission list, first page", "list", anonymous, ["/missions/"]),
            ("mission list, page 10", "list", anonymous, ["/missions/?page=10"]),
            ("mission list, zone + kind", "list", anonymous,
             ["/missions/?zone=75011&category=food_parcel"]),
            ("mission list, one day", "list", anonymous, [f"/missions/?day={day}"]),
            ("mission list, within 3 km (volunteer)", "list", volunteer_client,
             ["/missions/?within=3"]),
            ("mission page (volunteer)", "", volunteer_client, details),
        ]  # fmt: skip
        baseline = None
        print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        print(
            f"\n{'page':<40} {'median ms':>9} {'p95 ms':>8} {'queries':>8} {'p95/base':>9} "
            f"{'target':>8}"
        )
        for label, kind, client, urls in pages:
            median, p95, queries = _time(client, urls, args.repeat)
            baseline = baseline or p95
            target = TARGETS_MS.get(kind)
            verdict = "" if target is None else ("ok" if p95 < target else "MISSED")
            print(
                f"{label:<40} {median:>9.1f} {p95:>8.1f} {queries:>8} {p95 / baseline:>9.1f} "
                f"{verdict:>8}"
            )
        median, p95, queries, made = _time_signups(args.repeat, rng)
        verdict = "ok" if p95 < TARGETS_MS["signup"] else "MISSED"
        print(
            f"{'shift sign-up (POST)':<40} {median:>9.1f} {p95:>8.1f} {queries:>8} "
            f"{p95 / baseline:>9.1f} {verdict:>8}   ({made})"
        )
        print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    finally:
        connection.close()
        if not args.keep:
            _drop_database()


if __name__ == "__main__":
    main()
