"""Load test: several gunicorn web processes on PostgreSQL, loopback only, stops by itself.

    .venv/bin/python bench/load.py [--duration 30] [--workers 3] [--big 100000]
        [--tasks db|rq] [--task-workers 2] [--rounds 3]

Builds a scratch database (``entraide_trust_load`` on BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/postgres), starts gunicorn on 127.0.0.1 with the bench
settings (the project plus a bare JSON endpoint), and runs three phases:

1. Mixed traffic at 10x a city's expected peak, open loop (arrivals do not wait for
   answers): zone board reads, and request creation by web form, API and SMS webhook.
   Assumption — a city of about 2 million people after a hotline is announced on TV:
   1,800 new requests an hour (900 web, 450 API, 450 SMS) and 18,000 board views an hour,
   i.e. 0.5 writes/s and 5 reads/s. Ten times that: 5 writes/s and 50 reads/s.
2. Saturation, closed loop: request creation through the API vs the bare JSON endpoint,
   same processes, same database, same concurrency — their throughput ratio, measured in
   ``--rounds`` alternating rounds (bare, create, bare, create…) so that a busy neighbour
   on a shared machine weighs on both; each round's ratio and their median are printed.
3. The zone board with 100,000 requests in the database (bulk-created): p95 over HTTP and
   the number of SQL queries per board page.

Background work runs as in production: ``--task-workers`` processes beside the web ones,
``manage.py db_worker`` (``--tasks db``, the default) or ``manage.py rqworker`` on Redis
(``--tasks rq``, TASKS_BACKEND=django_tasks_rq.RQBackend, docs/scale-out.md; Redis on
BENCH_REDIS_URL, default redis://127.0.0.1:6379/13, emptied first). After the traffic
the bench waits for the queues to drain and checks that every request created was
screened by a worker (care's distress screening, a task queued on RequestCreated).

Prints the figures and checks that the database holds exactly the successful writes.
"""

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB_NAME = "entraide_trust_load"
PORT = int(os.environ.get("BENCH_PORT", "8731"))
BASE = f"http://127.0.0.1:{PORT}"
EXPECTED_PEAK = {"board": 5.0, "web": 0.25, "api": 0.125, "sms": 0.125}  # per second
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r"/request/(R[A-Z0-9]+)/")


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    ok: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def record(self, kind: str, status: int, seconds: float, ok: bool) -> None:
        self.latencies[kind].append(seconds)
        self.statuses[kind][status] += 1
        self.ok[kind] += ok


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def database_url() -> str:
    import psycopg

    server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB_NAME}")
    return server.rsplit("/", 1)[0] + f"/{DB_NAME}"


def drop_database() -> None:
    import psycopg

    server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def prepare(volunteers: int) -> list[str]:
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from entraide.people.demo import demo_volunteers_load
    from entraide.territory.services import zones_import_laposte

    territory = zones_import_laposte(
        path=settings.ENTRAIDE_POSTCODE_FILE,
        territory_name="Paris",
        territory_slug="paris",
        communes=["PARIS"],
    ).territory
    demo_volunteers_load(territory=territory, count=volunteers, seed=3)
    return list(territory.zones.order_by("code").values_list("code", flat=True))


def task_env(args, env: dict[str, str]) -> dict[str, str]:
    """The web and worker processes' environment for the chosen task backend."""
    if args.tasks != "rq":
        return env
    import redis

    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    redis.Redis.from_url(url).flushdb()
    return {**env, "TASKS_BACKEND": "django_tasks_rq.RQBackend", "TASKS_REDIS_URL": url}


def start_task_workers(args, env: dict[str, str]) -> list[subprocess.Popen]:
    manage = [sys.executable, str(ROOT / "manage.py")]
    queues = ["default", "outbox", "matching"]
    workers = []
    for index in range(args.task_workers):
        if args.tasks == "rq":
            # One worker runs RQ's scheduler (delayed retries); any of them could.
            command = [*manage, "rqworker", "--job-class", "django_tasks_rq.Job", *queues]
            if index == 0:
                command.insert(-3, "--with-scheduler")
        else:
            command = [*manage, "db_worker", "--queue-name", "*", "--no-reload"]
            command += ["--worker-id", f"bench-{index}"]
        workers.append(
            subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
    return workers


def tasks_pending(args) -> int:
    """Tasks queued or running, whatever the backend."""
    if args.tasks == "rq":
        import django_rq
        from rq.registry import StartedJobRegistry

        return sum(
            django_rq.get_queue(name).count
            + StartedJobRegistry(queue=django_rq.get_queue(name)).count
            for name in ("default", "outbox", "matching")
        )
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()


def drain(args, created_since: dt.datetime) -> dict:
    """Wait for the workers to empty the queues; report what they did."""
    from entraide.needs.models import HelpRequest

    start = time.perf_counter()
    pending = tasks_pending(args)
    while pending and time.perf_counter() - start < args.drain_timeout:
        time.sleep(1)
        pending = tasks_pending(args)
    created = HelpRequest.objects.filter(created_at__gte=created_since)
    return {
        "backend": args.tasks,
        "task_workers": args.task_workers,
        "pending_after_s": round(time.perf_counter() - start, 1),
        "tasks_pending": pending,
        "requests_created": created.count(),
        "requests_screened_by_workers": created.filter(screened_at__isnull=False).count(),
    }


def start_gunicorn(workers: int, env: dict[str, str]) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "entraide.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{PORT}",
            "--timeout=30",
            "--graceful-timeout=5",
            "--log-level=warning",
            "--backlog=256",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{BASE}/bench/ping/", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start")


class Traffic:
    """One kind of call each: a board read, or a request created by web, API or SMS."""

    def __init__(self, client: httpx.AsyncClient, zones: list[str], token: str) -> None:
        from entraide.channels.simulator import Signer

        self.client = client
        self.zones = zones
        self.signer = Signer(token)
        self.csrf = ""
        self.counter = 0
        self.rng = random.Random(7)

    async def login_form(self) -> None:
        page = await self.client.get(f"{BASE}/request/new/")
        self.csrf = CSRF.search(page.text).group(1)

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def _request_fields(self, n: int) -> dict:
        today = dt.date.today()
        return {
            "zone": self.zones[n % len(self.zones)],
            "category": "groceries",
            "description": f"Des courses pour la semaine, charge {n}.",
            "urgency": "2",
            "window_start": today.isoformat(),
            "window_end": (today + dt.timedelta(days=3)).isoformat(),
            "time_of_day": "any",
            "first_name": "Charge",
            "phone": f"+3366{n:07d}",
        }

    async def board(self) -> tuple[int, bool]:
        zone = self.rng.choice(self.zones)
        page = self.rng.choice(["", "?page=2", "?category=groceries", "?urgency=3"])
        response = await self.client.get(f"{BASE}/zones/{zone}/{page}")
        return response.status_code, response.status_code == 200

    async def web(self) -> tuple[int, bool]:
        fields = {**self._request_fields(self._next()), "csrfmiddlewaretoken": self.csrf}
        response = await self.client.post(
            f"{BASE}/request/new/", data=fields, headers={"Referer": f"{BASE}/request/new/"}
        )
        ok = response.status_code == 302 and bool(REFERENCE.search(response.headers["location"]))
        return response.status_code, ok

    async def api(self) -> tuple[int, bool]:
        fields = self._request_fields(self._next())
        body = {
            **{k: v for k, v in fields.items() if k not in ("first_name", "phone")},
            "contact": {"first_name": fields["first_name"], "phone": fields["phone"]},
        }
        response = await self.client.post(f"{BASE}/api/v1/requests/", json=body)
        return response.status_code, response.status_code == 201

    async def sms(self) -> tuple[int, bool]:
        n = self._next()
        url = f"{BASE}/channels/sms/"
        params = {
            "MessageSid": f"SM{n:032d}",
            "From": f"+3367{n:07d}",
            "To": "+33700000000",
            "Body": f"AIDE {self.zones[n % len(self.zones)]} COURSES",
        }
        response = await self.client.post(
            url, data=params, headers=self.signer.headers(url, params)
        )
        ok = response.status_code == 200 and "<Message>" not in response.text
        return response.status_code, ok

    async def ping(self) -> tuple[int, bool]:
        response = await self.client.get(f"{BASE}/bench/ping/")
        return response.status_code, response.status_code == 200


async def timed(results: Results, kind: str, call) -> None:
    start = time.perf_counter()
    try:
        status, ok = await call()
    except httpx.HTTPError:
        status, ok = 0, False
    results.record(kind, status, time.perf_counter() - start, ok)


async def open_loop(traffic: Traffic, rates: dict[str, float], duration: float) -> Results:
    """Arrivals at fixed rates for ``duration`` seconds, whatever the answers' speed."""
    results = Results()
    schedule = sorted(
        (i / rate, kind) for kind, rate in rates.items() for i in range(int(rate * duration))
    )
    start = time.perf_counter()
    tasks = []
    for offset, kind in schedule:
        delay = start + offset - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(timed(results, kind, getattr(traffic, kind))))
    await asyncio.gather(*tasks)
    return results


async def closed_loop(traffic: Traffic, kind: str, concurrency: int, duration: float):
    results = Results()
    stop = time.perf_counter() + duration

    async def loop() -> None:
        while time.perf_counter() < stop:
            await timed(results, kind, getattr(traffic, kind))

    start = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(concurrency)))
    return results, results.ok[kind] / (time.perf_counter() - start)


def bulk_requests(count: int, zones: list[str]) -> None:
    from django.utils import timezone

    from entraide.needs.categories import CATEGORIES
    from entraide.needs.models import HelpRequest
    from entraide.platform.privacy import snap_to_grid
    from entraide.territory.models import Zone

    rng = random.Random(11)
    by_code = {zone.code: zone for zone in Zone.objects.filter(code__in=zones)}
    codes = [c.code for c in CATEGORIES if not c.sensitive]
    statuses = ["open"] * 3 + ["matched", "in_progress"] + ["done"] * 4 + ["cancelled", "expired"]
    now = timezone.now()
    rows = []
    for i in range(count):
        zone = by_code[rng.choice(zones)]
        lat, lon = snap_to_grid(
            zone.centroid_lat + rng.uniform(-0.01, 0.01),
            zone.centroid_lon + rng.uniform(-0.015, 0.015),
        )
        rows.append(
            HelpRequest(
                reference=f"B{i:09d}",
                zone=zone,
                description="-",
                public_description="Des courses pour la semaine.",
                public_lat=lat,
                public_lon=lon,
                channel="web",
                private_token_hash="x",
                private_link_expires_at=now,
                category=rng.choice(codes),
                urgency=rng.randrange(4),
                status=rng.choice(statuses),
                window_start=now.date(),
                window_end=now.date() + dt.timedelta(days=rng.randrange(1, 14)),
            )
        )
    HelpRequest.objects.bulk_create(rows, batch_size=5000)


def board_queries(zone: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(f"/zones/{zone}/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/zones/{zone}/?page=2").status_code == 200
    return len(queries)


def summary(results: Results, duration: float) -> dict:
    figures = {}
    for kind, latencies in results.latencies.items():
        total = len(latencies)
        server_errors = sum(n for s, n in results.statuses[kind].items() if s >= 500 or s == 0)
        figures[kind] = {
            "calls": total,
            "ok": results.ok[kind],
            "throughput_per_s": round(results.ok[kind] / duration, 2),
            "p50_ms": round(1000 * statistics.median(latencies), 1),
            "p95_ms": round(1000 * percentile(latencies, 95), 1),
            "p99_ms": round(1000 * percentile(latencies, 99), 1),
            "error_rate_pct": round(100 * (total - results.ok[kind]) / total, 3),
            "5xx_pct": round(100 * server_errors / total, 3),
            "statuses": dict(results.statuses[kind]),
        }
    return figures


async def run(args, zones: list[str], token: str) -> dict:
    from django.utils import timezone

    from entraide.needs.models import HelpRequest

    started_at = timezone.now()

    report = {"assumption_per_s_at_10x": {k: v * 10 for k, v in EXPECTED_PEAK.items()}}
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        traffic = Traffic(client, zones, token)
        await traffic.login_form()
        before = {c: HelpRequest.objects.filter(channel=c).count() for c in ("web", "sms")}
        mixed = await open_loop(
            traffic, {k: v * args.scale for k, v in EXPECTED_PEAK.items()}, args.duration
        )
        report["mixed_10x"] = summary(mixed, args.duration)

        rounds, ping, create = [], Results(), Results()
        for _round in range(args.rounds):
            ping_round, ping_rate = await closed_loop(
                traffic, "ping", args.concurrency, args.saturate
            )
            create_round, create_rate = await closed_loop(
                traffic, "api", args.concurrency, args.saturate
            )
            rounds.append((ping_rate, create_rate))
            for into, got, kind in ((ping, ping_round, "ping"), (create, create_round, "api")):
                into.latencies[kind] += got.latencies[kind]
                into.ok[kind] += got.ok[kind]
                for status, n in got.statuses[kind].items():
                    into.statuses[kind][status] += n
        ratios = [100 * c / p for p, c in rounds]
        seconds = args.saturate * args.rounds
        report["saturation"] = {
            "concurrency": args.concurrency,
            "rounds": [
                {"bare_json_per_s": round(p, 1), "api_create_per_s": round(c, 1)} for p, c in rounds
            ],
            "ratio_pct_per_round": [round(r, 1) for r in ratios],
            "create_to_bare_ratio_pct": round(statistics.median(ratios), 1),
            "bare_json": summary(ping, seconds)["ping"],
            "api_create": summary(create, seconds)["api"],
        }
        after = {c: HelpRequest.objects.filter(channel=c).count() for c in ("web", "sms")}
        report["writes"] = {
            "acknowledged": {
                "web": mixed.ok["web"],
                "api": mixed.ok["api"] + create.ok["api"],
                "sms": mixed.ok["sms"],
            },
            "rows": {
                "web+api": after["web"] - before["web"],
                "sms": after["sms"] - before["sms"],
            },
        }
        # A call the client gave up on (timeout, status 0) may still have been stored:
        # rows must hold every acknowledged write, plus at most those unknown outcomes.
        unknown = {
            kind: mixed.statuses[kind].get(0, 0)
            + (create.statuses[kind].get(0, 0) if kind == "api" else 0)
            for kind in ("web", "api", "sms")
        }
        acked_web_api = mixed.ok["web"] + mixed.ok["api"] + create.ok["api"]
        extra_web_api = report["writes"]["rows"]["web+api"] - acked_web_api
        extra_sms = report["writes"]["rows"]["sms"] - mixed.ok["sms"]
        report["writes"]["client_timeouts"] = unknown
        report["writes"]["stored_after_client_timeout"] = extra_web_api + extra_sms
        report["writes"]["equal"] = (
            0 <= extra_web_api <= unknown["web"] + unknown["api"]
            and 0 <= extra_sms <= unknown["sms"]
        )

        report["background"] = drain(args, started_at)

        if args.big:
            start = time.perf_counter()
            bulk_requests(args.big, zones)
            report["big"] = {
                "requests_in_db": HelpRequest.objects.count(),
                "bulk_create_s": round(time.perf_counter() - start, 1),
            }
            await closed_loop(traffic, "board", 4, 3)
            board, _rate = await closed_loop(traffic, "board", 1, args.board_seconds)
            report["big"]["board"] = summary(board, args.board_seconds)["board"]
            report["big"]["queries_per_board_page"] = board_queries("75011")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30, help="seconds of mixed traffic")
    parser.add_argument("--scale", type=float, default=10, help="times the expected peak")
    parser.add_argument("--saturate", type=float, default=15, help="seconds per saturation run")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn web processes")
    parser.add_argument("--volunteers", type=int, default=200)
    parser.add_argument("--big", type=int, default=100_000, help="requests for the board test")
    parser.add_argument("--board-seconds", type=float, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--tasks", choices=["db", "rq"], default="db", help="task backend")
    parser.add_argument("--task-workers", type=int, default=2, help="background workers")
    parser.add_argument("--rounds", type=int, default=3, help="alternating saturation rounds")
    parser.add_argument("--drain-timeout", type=float, default=180)
    args = parser.parse_args()

    url = database_url()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "PYTHONPATH": str(ROOT),
        "DB_CONN_MAX_AGE": "60",
    }
    # This process only counts rows between phases of its own event loop.
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.settings_bench",
        DJANGO_ALLOW_ASYNC_UNSAFE="true",
    )
    env = task_env(args, env)
    if args.tasks == "rq":  # this process reads the queues' depth
        os.environ.update(
            TASKS_BACKEND=env["TASKS_BACKEND"], TASKS_REDIS_URL=env["TASKS_REDIS_URL"]
        )
    zones = prepare(args.volunteers)
    from django.conf import settings

    server = start_gunicorn(args.workers, env)
    workers = start_task_workers(args, env)
    try:
        report = asyncio.run(run(args, zones, settings.TWILIO_AUTH_TOKEN))
    finally:
        server.terminate()
        for worker in workers:
            worker.terminate()
        server.wait(timeout=20)
        for worker in workers:
            worker.wait(timeout=60)
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database()
    report["setup"] = {
        "web_processes": args.workers,
        "cpus": os.cpu_count(),
        "database": "PostgreSQL (loopback)",
        "mixed_seconds": args.duration,
        "task_backend": args.tasks,
        "task_workers": args.task_workers,
    }
    print(json.dumps(report, indent=2))
    if not report["writes"]["equal"]:
        raise SystemExit("a write was lost, or stored without being sent")


if __name__ == "__main__":
    main()
